import { Counter, Histogram } from "prom-client";
import { registry } from "./registry";

/** Publishing (outbox relay, reminder and notification publishers). */
export const eventsPublished = new Counter({
  name: "todo_events_published_total",
  help: "Events handed to the Dapr pub/sub, by event type and result (success|failure)",
  labelNames: ["type", "result"] as const,
  registers: [registry],
});

/** Consuming: one outcome per delivery (success|retry|drop|duplicate). */
export const eventsConsumed = new Counter({
  name: "todo_events_consumed_total",
  help: "Event deliveries handled, by consumer, event type and outcome",
  labelNames: ["consumer", "type", "outcome"] as const,
  registers: [registry],
});

export const eventProcessingDuration = new Histogram({
  name: "todo_event_processing_duration_seconds",
  help: "Time spent handling one event delivery, by consumer and event type",
  labelNames: ["consumer", "type"] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});
