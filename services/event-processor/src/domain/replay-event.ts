import { allTopics } from "@todo/contracts/topology";

/** Fields the sidecar adds on delivery; a replay publishes the event as it was first published. */
const ROUTING_FIELDS = ["topic", "pubsubname", "traceid", "traceparent", "tracestate"];

export type ReplayPlan = { kind: "publish"; topic: string; partitionKey: string | undefined; event: Record<string, unknown> } | { kind: "skip"; reason: string };

/**
 * What replaying one stored dead letter means: re-publish the original CloudEvent — same `id`, so a
 * consumer that did process it after all ignores it (every consumer is idempotent on the id) — to the
 * topic it failed on, keyed by its subject like the first publish. Letters that are not a CloudEvent
 * of a known topic cannot be replayed.
 */
export function replayPlanOf(row: { topic: string; payload: unknown }): ReplayPlan {
  if (!(allTopics as readonly string[]).includes(row.topic)) return { kind: "skip", reason: `unknown topic ${row.topic}` };
  const p = row.payload;
  if (typeof p !== "object" || p === null || Array.isArray(p)) return { kind: "skip", reason: "payload is not a CloudEvent" };
  const fields = p as Record<string, unknown>;
  for (const f of ["id", "specversion", "type", "source"]) if (typeof fields[f] !== "string" || fields[f] === "") return { kind: "skip", reason: `payload has no CloudEvent ${f}` };
  const event = Object.fromEntries(Object.entries(fields).filter(([k]) => !ROUTING_FIELDS.includes(k)));
  return { kind: "publish", topic: row.topic, partitionKey: typeof fields.subject === "string" ? fields.subject : undefined, event };
}
