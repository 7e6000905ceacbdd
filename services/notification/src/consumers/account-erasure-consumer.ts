import type pg from "pg";
import { oncePerEvent } from "../../../shared/src/db/idempotency";
import type { AccountEvent } from "@todo/contracts/events";

export const ACCOUNT_ERASURE_CONSUMER = "notification-account-erasure";

/** On `account.deleted`: deletes the user's notifications and remembers the id (once per event). */
export function eraseAccount(pool: pg.Pool, event: AccountEvent): Promise<"success" | "duplicate"> {
  return oncePerEvent(pool, ACCOUNT_ERASURE_CONSUMER, event.id, async (db) => {
    await db.query("INSERT INTO erased_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [event.data.userId]);
    await db.query("DELETE FROM notifications WHERE user_id = $1", [event.data.userId]);
  });
}

export async function isErased(db: Pick<pg.Pool, "query">, userId: string): Promise<boolean> {
  const { rowCount } = await db.query("SELECT 1 FROM erased_users WHERE user_id = $1", [userId]);
  return (rowCount ?? 0) > 0;
}
