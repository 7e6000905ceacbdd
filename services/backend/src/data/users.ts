import type pg from "pg";

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string;
}

/** Inserts a user; returns false when the (lower-cased) email is taken. */
export async function insertUser(db: pg.Pool, user: UserRow): Promise<boolean> {
  const res = await db.query(
    "INSERT INTO backend.users (id, email, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING",
    [user.id, user.email, user.passwordHash],
  );
  return res.rowCount === 1;
}

export async function findUserByEmail(db: pg.Pool, email: string): Promise<UserRow | null> {
  const res = await db.query<{ id: string; email: string; password_hash: string }>(
    "SELECT id, email, password_hash FROM backend.users WHERE email = $1",
    [email],
  );
  const row = res.rows[0];
  return row ? { id: row.id, email: row.email, passwordHash: row.password_hash } : null;
}

export async function findUserById(db: pg.Pool | pg.PoolClient, id: string): Promise<(UserRow & { createdAt: string }) | null> {
  const res = await db.query<{ id: string; email: string; password_hash: string; created_at: string }>(
    "SELECT id, email, password_hash, created_at FROM backend.users WHERE id = $1",
    [id],
  );
  const row = res.rows[0];
  return row ? { id: row.id, email: row.email, passwordHash: row.password_hash, createdAt: row.created_at } : null;
}

/** The stored password hash of a user, or null when the user does not exist (any more). */
export async function findPasswordHashOf(db: pg.Pool, userId: string): Promise<string | null> {
  const res = await db.query<{ password_hash: string }>("SELECT password_hash FROM backend.users WHERE id = $1", [userId]);
  return res.rows[0]?.password_hash ?? null;
}
