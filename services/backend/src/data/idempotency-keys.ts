import type pg from "pg";

type Db = pg.Pool | pg.PoolClient;

/** A stored first answer, replayed to the retries of its request. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Claim =
  | { kind: "new" }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "in-progress" }
  | { kind: "mismatch" };

/**
 * Claims (user, key) for a request. The row is inserted before the request runs, so of two
 * concurrent requests with the same key exactly one runs; the other learns it is in progress. An
 * expired key, or a claim whose request died without an answer (older than `abandonAfterS`), is
 * taken over.
 */
export async function claimKey(db: Db, userId: string, key: string, fingerprint: string, ttlS: number, abandonAfterS = 60): Promise<Claim> {
  await db.query(
    `DELETE FROM backend.idempotency_keys WHERE user_id = $1 AND key = $2
       AND (expires_at < now() OR (status IS NULL AND created_at < now() - make_interval(secs => $3)))`,
    [userId, key, abandonAfterS],
  );
  const inserted = await db.query(
    `INSERT INTO backend.idempotency_keys (user_id, key, fingerprint, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
     ON CONFLICT (user_id, key) DO NOTHING`,
    [userId, key, fingerprint, ttlS],
  );
  if (inserted.rowCount === 1) return { kind: "new" };
  const { rows } = await db.query<{ fingerprint: string; status: number | null; headers: Record<string, string> | null; body: unknown }>(
    "SELECT fingerprint, status, headers, body FROM backend.idempotency_keys WHERE user_id = $1 AND key = $2",
    [userId, key],
  );
  const row = rows[0];
  // gone between the two statements (expired and swept): the caller may simply retry
  if (!row) return { kind: "in-progress" };
  if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
  if (row.status === null) return { kind: "in-progress" };
  return { kind: "replay", answer: { status: row.status, headers: row.headers ?? {}, body: row.body } };
}

export async function storeAnswer(db: Db, userId: string, key: string, answer: StoredAnswer): Promise<void> {
  await db.query("UPDATE backend.idempotency_keys SET status = $3, headers = $4, body = $5 WHERE user_id = $1 AND key = $2", [
    userId,
    key,
    answer.status,
    JSON.stringify(answer.headers),
    JSON.stringify(answer.body),
  ]);
}

/** The request failed: forget the claim, so a retry runs it again. */
export async function releaseKey(db: Db, userId: string, key: string): Promise<void> {
  await db.query("DELETE FROM backend.idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL", [userId, key]);
}

/** Expired keys (the relay's periodic cleanup). */
export async function deleteExpiredKeys(db: Db): Promise<number> {
  const res = await db.query("DELETE FROM backend.idempotency_keys WHERE expires_at < now()");
  return res.rowCount ?? 0;
}
