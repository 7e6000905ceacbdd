import { Gauge } from "prom-client";
import { registry } from "./registry";

/** Set by the backend's outbox relay after each pass. */
export const outboxUnsent = new Gauge({
  name: "todo_outbox_unsent_events",
  help: "Outbox rows written but not yet published",
  registers: [registry],
});

export const outboxOldestUnsentAge = new Gauge({
  name: "todo_outbox_oldest_unsent_age_seconds",
  help: "Age of the oldest unpublished outbox row (0 when the outbox is empty)",
  registers: [registry],
});
