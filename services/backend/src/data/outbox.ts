import type pg from "pg";
import { preparedStatement } from "../../../shared/src/db/prepared-statement";
import type { AnyEvent } from "@todo/contracts/events";

type Db = pg.Pool | pg.PoolClient;

/** Written in the same transaction as the task change the events describe. */
export async function appendToOutbox(db: Db, events: AnyEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(`INSERT INTO backend.outbox (event_id, task_id, type, payload) ${OUTBOX_ROWS}`, outboxParams(events));
}

/**
 * The outbox rows of `events` as one SELECT over arrays, in the events' order (so `seq` keeps it): one
 * round trip for any number of events. Its parameters are `outboxParams(events, offset)`.
 */
export function outboxRows(offset = 0): string {
  return `SELECT * FROM unnest($${offset + 1}::text[], $${offset + 2}::uuid[], $${offset + 3}::text[], $${offset + 4}::jsonb[])`;
}
const OUTBOX_ROWS = outboxRows();

export function outboxParams(events: AnyEvent[]): unknown[] {
  return [events.map((e) => e.id), events.map((e) => e.subject), events.map((e) => e.type), events.map((e) => JSON.stringify(e))];
}

export interface OutboxRow {
  seq: number;
  payload: AnyEvent;
}

const UNSENT_ROWS = preparedStatement("backend-outbox-unsent", "SELECT seq, payload FROM backend.outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1");
const MARK_SENT = preparedStatement("backend-outbox-mark-sent", "UPDATE backend.outbox SET sent_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE seq = ANY($1::bigint[])");

export async function unsentRows(db: Db, limit: number): Promise<OutboxRow[]> {
  const res = await db.query<OutboxRow>(UNSENT_ROWS([limit]));
  return res.rows;
}

/** One UPDATE for a batch of published rows (a round trip per row capped the relay near 100 events/s). */
export async function markSent(db: Db, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return;
  await db.query(MARK_SENT([seqs]));
}

export async function markFailed(db: Db, seq: number, error: string): Promise<void> {
  await db.query("UPDATE backend.outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1", [seq, error.slice(0, 1000)]);
}

export async function backlog(db: Db): Promise<{ unsent: number; oldestAgeSeconds: number }> {
  const res = await db.query<{ unsent: number; age: number | null }>(
    "SELECT count(*)::int AS unsent, extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age FROM backend.outbox WHERE sent_at IS NULL",
  );
  const row = res.rows[0]!;
  return { unsent: row.unsent, oldestAgeSeconds: Math.max(0, row.age ?? 0) };
}

export async function deleteSentBefore(db: Db, cutoff: Date): Promise<number> {
  const res = await db.query("DELETE FROM backend.outbox WHERE sent_at IS NOT NULL AND sent_at < $1", [cutoff.toISOString()]);
  return res.rowCount ?? 0;
}

/**
 * The task events of one task still in the outbox (unsent, or sent within the retention window), in
 * the order they were written: what its history may not have recorded yet. Bounded: a task's outbox
 * rows only live for the retention window.
 */
export async function outboxTaskEvents(db: Db, taskId: string, userId: string, limit = 1000): Promise<unknown[]> {
  const res = await db.query<{ payload: unknown }>(
    `SELECT payload FROM backend.outbox WHERE task_id = $1 AND type LIKE 'task.%' AND payload->>'userId' = $2 ORDER BY seq LIMIT $3`,
    [taskId, userId, limit],
  );
  return res.rows.map((r) => r.payload);
}
