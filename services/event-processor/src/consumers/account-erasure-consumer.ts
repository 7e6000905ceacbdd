import type pg from "pg";
import { oncePerEvent } from "../../../shared/src/db/idempotency";
import type { AccountEvent } from "@todo/contracts/events";
import { lockUserExclusive } from "../data/audit-store";

export const ACCOUNT_ERASURE_CONSUMER = "account-erasure";

/** On `account.deleted`: deletes the user's audit trail and remembers the id (one transaction, once per event). */
export class AccountErasureConsumer {
  constructor(private readonly pool: pg.Pool) {}

  handle(event: AccountEvent): Promise<"success" | "duplicate"> {
    return oncePerEvent(this.pool, ACCOUNT_ERASURE_CONSUMER, event.id, async (db) => {
      await lockUserExclusive(db, event.data.userId);
      await db.query("INSERT INTO erased_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [event.data.userId]);
      await db.query("DELETE FROM audit_events WHERE user_id = $1", [event.data.userId]);
    });
  }
}
