import { Counter } from "prom-client";
import { registry } from "./registry";

export const eventsDeadLettered = new Counter({
  name: "todo_events_dead_lettered_total",
  help: "Events that reached a dead-letter topic, by original topic and event type",
  labelNames: ["topic", "type"] as const,
  registers: [registry],
});
