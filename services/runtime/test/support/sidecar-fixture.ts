import { createLogger } from "../../../shared/src/telemetry/logger";
import { LocalDapr, type LocalDaprOptions } from "../../src/dapr/local-dapr";

/** Exponential backoff 100× quicker than daprd's (5 ms × 1.5 ± 50 %): the same schedule, scaled. */
export const TEST_BACKOFF = { initialIntervalMs: 5, multiplier: 1.5, randomizationFactor: 0.5 };

/**
 * A LocalDapr obeying the deployed Resiliency/Components (unless `resources` says otherwise) with the
 * backoff scaled down, no app health check unless asked for, and quiet logs.
 */
export function testDapr(opts: LocalDaprOptions = {}): LocalDapr {
  return new LocalDapr({
    subscriptions: [],
    cronBindings: [],
    appHealth: null,
    backoff: TEST_BACKOFF,
    jobFailurePolicy: { kind: "constant", intervalMs: 20, maxRetries: 3 },
    log: createLogger("dapr-test", "silent"),
    ...opts,
  });
}

export async function publish(sidecarUrl: string, topic: string, body: unknown, opts: { key?: string; contentType?: string } = {}): Promise<Response> {
  const query = opts.key ? `?metadata.partitionKey=${encodeURIComponent(opts.key)}` : "";
  return fetch(`${sidecarUrl}/v1.0/publish/pubsub/${topic}${query}`, {
    method: "POST",
    headers: { "content-type": opts.contentType ?? "application/cloudevents+json" },
    body: JSON.stringify(body),
  });
}

let counter = 0;
/** A CloudEvent in our envelope's shape (what publishEvent sends). */
export function cloudEvent(subject: string, data: unknown = {}) {
  return { specversion: "1.0", id: `evt-${++counter}`, type: "task.updated", source: "test", subject, time: new Date().toISOString(), datacontenttype: "application/json", data };
}
