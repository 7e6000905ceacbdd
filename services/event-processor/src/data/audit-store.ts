import type pg from "pg";
import { preparedStatement } from "../../../shared/src/db/prepared-statement";
import type { HistoryItem } from "@todo/contracts/history";
import type { AuditEntry } from "../domain/audit-entry";

/** Records the entry, unless its user's account was erased (a late event of theirs records nothing). */
const INSERT_AUDIT_ENTRY = preparedStatement(
  "event-processor-insert-audit-entry",
  `INSERT INTO audit_events (event_id, task_id, user_id, type, at, task_version, correlation_id, data)
   SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE NOT EXISTS (SELECT 1 FROM erased_users WHERE user_id = $3)
   ON CONFLICT (event_id) DO NOTHING`,
);
const LOCK_USER_SHARED = preparedStatement("event-processor-lock-user-shared", "SELECT pg_advisory_xact_lock_shared(18, hashtext($1))");

export async function insertAuditEntry(db: pg.PoolClient, e: AuditEntry): Promise<void> {
  await lockUserShared(db, e.userId);
  await db.query(INSERT_AUDIT_ENTRY([e.eventId, e.taskId, e.userId, e.type, e.at, e.taskVersion, e.correlationId, JSON.stringify(e.data)]));
}

/** The owner's trail of one task, oldest first; events of the same instant in task version order. */
export async function taskHistory(db: pg.Pool, taskId: string, userId: string): Promise<HistoryItem[]> {
  const { rows } = await db.query<HistoryItem>(
    `SELECT type, at, event_id AS "eventId", correlation_id AS "correlationId", data
       FROM audit_events WHERE task_id = $1 AND user_id = $2
      ORDER BY at, task_version, recorded_at, event_id`,
    [taskId, userId],
  );
  return rows;
}

/** The owner's trails of several tasks (an export page), each oldest first. */
export async function historyOfTasks(db: pg.Pool, userId: string, taskIds: string[]): Promise<Record<string, HistoryItem[]>> {
  const { rows } = await db.query<HistoryItem & { taskId: string }>(
    `SELECT task_id AS "taskId", type, at, event_id AS "eventId", correlation_id AS "correlationId", data
       FROM audit_events WHERE task_id = ANY($1::uuid[]) AND user_id = $2
      ORDER BY task_id, at, task_version, recorded_at, event_id`,
    [taskIds, userId],
  );
  const byTask: Record<string, HistoryItem[]> = {};
  for (const { taskId, ...item } of rows) (byTask[taskId] ??= []).push(item);
  return byTask;
}

/**
 * The user's erasure lock (namespace 18, the issue that added it): audit inserts take it shared, the
 * erasure exclusive, each before its next statement takes its snapshot — so an insert racing the
 * erasure either commits first (and the erasure's DELETE sees its row) or sees erased_users.
 */
export async function lockUserShared(db: pg.PoolClient, userId: string): Promise<void> {
  await db.query(LOCK_USER_SHARED([userId]));
}

export async function lockUserExclusive(db: pg.PoolClient, userId: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(18, hashtext($1))", [userId]);
}
