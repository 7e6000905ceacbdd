import type pg from "pg";
import type { Reminder } from "../domain/reminder-state";

type Queryable = Pick<pg.PoolClient, "query">;

const COLUMNS = "task_id, user_id, remind_at, title, state, event_time, fired_at, correlation_id";

function toReminder(row: Record<string, unknown>): Reminder {
  return {
    taskId: row.task_id as string,
    userId: row.user_id as string,
    remindAt: (row.remind_at as string | null) ?? null,
    title: row.title as string,
    state: row.state as Reminder["state"],
    eventTime: row.event_time as string,
    firedAt: (row.fired_at as string | null) ?? null,
    correlationId: row.correlation_id as string,
  };
}

/**
 * Reads a reminder and locks its row until the transaction ends, so an event, a job callback and the
 * sweep touching the same task run one after another (never a sweep re-arming a time an event just
 * replaced, never two callbacks both publishing).
 */
export async function lockReminder(db: Queryable, taskId: string): Promise<Reminder | null> {
  const res = await db.query(`SELECT ${COLUMNS} FROM reminders WHERE task_id = $1 FOR UPDATE`, [taskId]);
  return res.rows[0] ? toReminder(res.rows[0]) : null;
}

/**
 * Locks the row of a reminder that may not exist yet: inserting a placeholder first would need a
 * user id, so concurrent first events for one task are serialised with a transaction-scoped advisory
 * lock on the task id instead.
 */
export async function lockTask(db: Queryable, taskId: string): Promise<Reminder | null> {
  await db.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [taskId]);
  return lockReminder(db, taskId);
}

export async function saveReminder(db: Queryable, r: Reminder): Promise<void> {
  await db.query(
    `INSERT INTO reminders (task_id, user_id, remind_at, title, state, event_time, fired_at, correlation_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
     ON CONFLICT (task_id) DO UPDATE SET user_id = EXCLUDED.user_id, remind_at = EXCLUDED.remind_at,
       title = EXCLUDED.title, state = EXCLUDED.state, event_time = EXCLUDED.event_time,
       fired_at = EXCLUDED.fired_at, correlation_id = EXCLUDED.correlation_id, last_swept_at = NULL, updated_at = now()`,
    [r.taskId, r.userId, r.remindAt, r.title, r.state, r.eventTime, r.firedAt, r.correlationId],
  );
}

export async function markFired(db: Queryable, taskId: string, firedAt: string): Promise<void> {
  await db.query("UPDATE reminders SET state = 'fired', fired_at = $2, updated_at = now() WHERE task_id = $1", [taskId, firedAt]);
}

/** Settles a reminder found stale at firing time; event_time stays, so any newer event still applies. */
export async function markCancelled(db: Queryable, taskId: string): Promise<void> {
  await db.query("UPDATE reminders SET state = 'cancelled', updated_at = now() WHERE task_id = $1", [taskId]);
}

/**
 * Claims up to `limit` scheduled reminders, least recently swept first, skipping rows another replica
 * (or an in-flight event) holds, and stamps them swept. Must run inside a transaction: the row locks
 * last until the jobs are re-armed and the transaction commits.
 */
export async function claimSweepBatch(db: Queryable, limit: number): Promise<Reminder[]> {
  const res = await db.query(
    `WITH batch AS (
       SELECT task_id FROM reminders WHERE state = 'scheduled'
       ORDER BY last_swept_at NULLS FIRST, task_id
       LIMIT $1 FOR UPDATE SKIP LOCKED
     )
     UPDATE reminders r SET last_swept_at = now() FROM batch WHERE r.task_id = batch.task_id
     RETURNING ${COLUMNS.split(", ").map((c) => `r.${c}`).join(", ")}`,
    [limit],
  );
  return res.rows.map(toReminder);
}
