import type pg from "pg";
import type { TaskEvent } from "@todo/contracts/events";
import { auditEntryOf } from "../domain/audit-entry";
import { recordAuditEntry } from "../data/audit-store";

/** Records every task event in the audit trail, once per CloudEvent id (the entry's own key). */
export class AuditConsumer {
  constructor(private readonly pool: pg.Pool) {}

  async handle(event: TaskEvent): Promise<"success" | "duplicate"> {
    return (await recordAuditEntry(this.pool, auditEntryOf(event))) ? "success" : "duplicate";
  }
}
