import type pg from "pg";
import { HttpError } from "../../../shared/src/http/errors";

/**
 * Refuses a new task once the user holds `limit` tasks (pending and completed alike: both are rows), so
 * one account cannot fill the database. The count reads at most `limit` index entries. It is checked
 * before the insert, not in the same statement, so concurrent creates may pass it by a few: the bound is
 * on the order of magnitude, which is what protects the database.
 */
export async function ensureTaskQuota(db: pg.Pool, userId: string, limit: number): Promise<void> {
  const res = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM (SELECT 1 FROM backend.tasks WHERE user_id = $1 LIMIT $2) AS held",
    [userId, limit],
  );
  if ((res.rows[0]?.n ?? 0) >= limit) {
    throw new HttpError(403, "quota_exceeded", `you have ${limit} tasks, the most an account may hold; delete some to add more`, [
      { field: "tasks", message: `at most ${limit} per user` },
    ]);
  }
}
