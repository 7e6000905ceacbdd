import { Counter } from "prom-client";
import { registry } from "./registry";

export const eventsDeadLettered = new Counter({
  name: "todo_events_dead_lettered_total",
  help: "Events that reached a dead-letter topic, by original topic and event type",
  labelNames: ["topic", "type"] as const,
  registers: [registry],
});

export const deadLettersReplayed = new Counter({
  name: "todo_dead_letters_replayed_total",
  help: "Dead letters an operator re-published to their original topic, by topic and outcome (replayed, skipped, failed)",
  labelNames: ["topic", "outcome"] as const,
  registers: [registry],
});
