import { createLogger } from "../../../shared/src/telemetry/logger";
import { LocalDapr, type LocalDaprOptions } from "../../src/dapr/local-dapr";

/** A LocalDapr with quick retries (tests must not wait out the production backoff) and quiet logs. */
export function testDapr(opts: LocalDaprOptions = {}): LocalDapr {
  return new LocalDapr({
    subscriptions: [],
    cronBindings: [],
    log: createLogger("dapr-test", "silent"),
    ...opts,
    delivery: { initialIntervalMs: 10, maxIntervalMs: 40, maxRetries: 3, appUnavailableTimeoutMs: 10_000, ...opts.delivery },
    jobRetry: { initialIntervalMs: 20, maxIntervalMs: 50, maxRetries: 3, ...opts.jobRetry },
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
