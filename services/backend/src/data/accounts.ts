import type pg from "pg";

/**
 * Erases the user in the backend, in the caller's transaction: the user row (its tasks, tombstones and
 * idempotency keys go with it: ON DELETE CASCADE) and its events not yet published (they describe
 * data that no longer exists; the account.deleted event tells the other services instead).
 */
export async function eraseUser(db: pg.PoolClient, userId: string): Promise<void> {
  await db.query("DELETE FROM backend.outbox WHERE sent_at IS NULL AND payload->>'userId' = $1", [userId]);
  await db.query("DELETE FROM backend.users WHERE id = $1", [userId]);
}

export async function lockUser(db: pg.PoolClient, userId: string): Promise<{ passwordHash: string } | null> {
  const res = await db.query<{ password_hash: string }>("SELECT password_hash FROM backend.users WHERE id = $1 FOR UPDATE", [userId]);
  return res.rows[0] ? { passwordHash: res.rows[0].password_hash } : null;
}
