import type pg from "pg";
import { oncePerEvent } from "../../../shared/src/db/idempotency";
import type { TaskEvent } from "@todo/contracts/events";
import { auditEntryOf } from "../domain/audit-entry";
import { insertAuditEntry } from "../data/audit-store";

export const AUDIT_CONSUMER = "audit";

/** Records every task event in the audit trail, once per CloudEvent id (one transaction). */
export class AuditConsumer {
  constructor(private readonly pool: pg.Pool) {}

  handle(event: TaskEvent): Promise<"success" | "duplicate"> {
    return oncePerEvent(this.pool, AUDIT_CONSUMER, event.id, (db) => insertAuditEntry(db, auditEntryOf(event)));
  }
}
