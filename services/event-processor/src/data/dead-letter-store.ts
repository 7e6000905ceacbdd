import type pg from "pg";
import type { DeadLetter } from "../domain/dead-letter";

/** true when this delivery is the first of that dead letter. */
export async function recordDeadLetter(db: pg.Pool, d: DeadLetter): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO dead_letters (dedupe_key, event_id, topic, type, payload) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (dedupe_key) DO NOTHING`,
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
}

export async function listDeadLetters(db: pg.Pool, limit: number): Promise<DeadLetterRow[]> {
  const { rows } = await db.query<DeadLetterRow>(
    `SELECT id, event_id AS "eventId", topic, type, payload, received_at AS "receivedAt"
       FROM dead_letters ORDER BY received_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
