import type pg from "pg";
import { preparedStatement } from "../../../shared/src/db/prepared-statement";
import type { HistoryItem } from "@todo/contracts/history";
import type { AuditEntry } from "../domain/audit-entry";

const RECORD_AUDIT_ENTRY = preparedStatement("event-processor-record-audit-entry", "SELECT record_audit_entry($1, $2, $3, $4, $5, $6, $7, $8) AS recorded");

/**
 * Records the entry, unless its user's account was erased (a late event of theirs records nothing) or
 * it is already recorded (a redelivery); false then. One round trip: migration 1790100000000 says how
 * the function orders its lock and its insert.
 */
export async function recordAuditEntry(db: pg.Pool, e: AuditEntry): Promise<boolean> {
  const res = await db.query<{ recorded: boolean }>(RECORD_AUDIT_ENTRY([e.eventId, e.taskId, e.userId, e.type, e.at, e.taskVersion, e.correlationId, JSON.stringify(e.data)]));
  return res.rows[0]?.recorded === true;
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
export async function lockUserExclusive(db: pg.PoolClient, userId: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(18, hashtext($1))", [userId]);
}
