import type pg from "pg";
import { oncePerEvent } from "../../shared/src/db/idempotency";
import type { AccountEvent } from "@todo/contracts/events";
import type { JobsClient } from "../../shared/src/dapr/jobs";
import { jobNameFor } from "./domain/job-schedule";

export const ACCOUNT_ERASURE_CONSUMER = "reminder-scheduler-account-erasure";

/**
 * On `account.deleted`: deletes the user's Dapr jobs and reminder rows, once per event. The job
 * deletions happen before COMMIT (deleting a missing job is fine), so a failing sidecar rolls the
 * transaction back and the delivery is retried with every row still there.
 */
export async function eraseAccount(deps: { pool: pg.Pool; jobs: JobsClient }, event: AccountEvent): Promise<"success" | "duplicate"> {
  const { userId } = event.data;
  return oncePerEvent(deps.pool, ACCOUNT_ERASURE_CONSUMER, event.id, async (db) => {
    await db.query("INSERT INTO erased_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [userId]);
    const { rows } = await db.query<{ task_id: string }>("SELECT task_id FROM reminders WHERE user_id = $1 FOR UPDATE", [userId]);
    for (const r of rows) await deps.jobs.delete(jobNameFor(r.task_id));
    await db.query("DELETE FROM reminders WHERE user_id = $1", [userId]);
  });
}

export async function isErased(db: Pick<pg.PoolClient, "query">, userId: string): Promise<boolean> {
  const { rowCount } = await db.query("SELECT 1 FROM erased_users WHERE user_id = $1", [userId]);
  return (rowCount ?? 0) > 0;
}
