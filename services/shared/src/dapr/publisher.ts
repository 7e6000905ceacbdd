import type { DaprClient } from "@dapr/dapr";
import { PUBSUB_NAME } from "@todo/contracts/topology";
import { topicFor } from "@todo/contracts/envelope";
import type { AnyEvent } from "@todo/contracts/events";
import { eventsPublished } from "../telemetry/event-metrics";

export class PublishError extends Error {
  override name = "PublishError";
}

/**
 * Publishes one event in our envelope as a CloudEvent, keyed by the task id so Kafka keeps per-task
 * order. The SDK returns `{error}` instead of throwing, so the result is checked here and turned into
 * an exception the caller (outbox relay, consumer) can retry on.
 */
export async function publishEvent(client: DaprClient, event: AnyEvent): Promise<void> {
  const result = await client.pubsub.publish(PUBSUB_NAME, topicFor(event.type), event, {
    contentType: "application/cloudevents+json",
    metadata: { partitionKey: event.subject },
  });
  if (result.error) {
    eventsPublished.inc({ type: event.type, result: "failure" });
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new PublishError(`publish of ${event.type} ${event.id} failed: ${reason}`);
  }
  eventsPublished.inc({ type: event.type, result: "success" });
}
