import { HttpError } from "../../../shared/src/http/errors";

/**
 * The answer to a create refused because the user holds `limit` tasks (pending and completed alike:
 * both are rows), so one account cannot fill the database. The check itself is part of the insert
 * (data/tasks.ts, insertTaskWithEvents).
 */
export function quotaExceeded(limit: number): HttpError {
  return new HttpError(403, "quota_exceeded", `you have ${limit} tasks, the most an account may hold; delete some to add more`, [
    { field: "tasks", message: `at most ${limit} per user` },
  ]);
}
