import type pg from "pg";
import type { DeadLetter } from "../domain/dead-letter";

/**
 * true when this delivery is the first of that dead letter — or the first since it was replayed (the
 * replay failed again: the letter is open again, with its new arrival time).
 */
export async function recordDeadLetter(db: pg.Pool, d: DeadLetter): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO dead_letters (dedupe_key, event_id, topic, type, payload) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (dedupe_key) DO UPDATE SET received_at = now(), replayed_at = NULL
       WHERE dead_letters.replayed_at IS NOT NULL`,
    [d.dedupeKey, d.eventId, d.topic, d.type, d.payload],
  );
  return (rowCount ?? 0) > 0;
}

export interface DeadLetterRow {
  id: number;
  eventId: string | null;
  topic: string;
  type: string | null;
  payload: unknown;
  receivedAt: string;
  /** When it was last re-published by a replay; null while it is open. */
  replayedAt: string | null;
  replayCount: number;
}

export async function listDeadLetters(db: pg.Pool, limit: number): Promise<DeadLetterRow[]> {
  const { rows } = await db.query<DeadLetterRow>(
    `SELECT ${COLUMNS} FROM dead_letters ORDER BY received_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

const COLUMNS = `id, event_id AS "eventId", topic, type, payload, received_at AS "receivedAt", replayed_at AS "replayedAt", replay_count AS "replayCount"`;

/** The open (not yet replayed) letters among `ids`, or all open ones (at most `limit`), oldest first. */
export async function openDeadLetters(db: pg.Pool, select: { ids: number[] } | { all: true }, limit: number): Promise<DeadLetterRow[]> {
  const { rows } =
    "ids" in select
      ? await db.query<DeadLetterRow>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = ANY($1::bigint[]) AND replayed_at IS NULL ORDER BY id`, [select.ids])
      : await db.query<DeadLetterRow>(`SELECT ${COLUMNS} FROM dead_letters WHERE replayed_at IS NULL ORDER BY id LIMIT $1`, [limit]);
  return rows;
}

/** Marks a letter replayed; false when another replay got there first (then this one must not publish twice). */
export async function markReplayed(db: pg.Pool, id: number): Promise<boolean> {
  const { rowCount } = await db.query("UPDATE dead_letters SET replayed_at = now(), replay_count = replay_count + 1 WHERE id = $1 AND replayed_at IS NULL", [id]);
  return (rowCount ?? 0) > 0;
}

/** Undoes markReplayed when the publish failed, so the letter stays open for the next replay. */
export async function reopen(db: pg.Pool, id: number): Promise<void> {
  await db.query("UPDATE dead_letters SET replayed_at = NULL, replay_count = replay_count - 1 WHERE id = $1", [id]);
}
