import { PUBSUB_NAME } from "@todo/contracts/topology";
import { topicFor } from "@todo/contracts/envelope";
import type { AnyEvent } from "@todo/contracts/events";
import { eventsPublished } from "../telemetry/event-metrics";
import { callSidecar, type SidecarAddress } from "./sidecar";

export class PublishError extends Error {
  override name = "PublishError";
}

/**
 * Publishes one event in our envelope as a CloudEvent (Dapr publish API, `POST /v1.0/publish/<pubsub>/
 * <topic>`), keyed by the task id so Kafka keeps per-task order. daprd answers 204 once the broker has
 * the message; anything else, or no answer within `timeoutMs`, is a PublishError the caller (outbox
 * relay, consumer) retries on.
 */
export async function publishEvent(sidecar: SidecarAddress, event: AnyEvent, timeoutMs = 5000): Promise<void> {
  const path = `/v1.0/publish/${PUBSUB_NAME}/${topicFor(event.type)}?metadata.partitionKey=${encodeURIComponent(event.subject)}`;
  let failure: string | null = null;
  try {
    const res = await callSidecar(sidecar, "POST", path, { body: JSON.stringify(event), contentType: "application/cloudevents+json", timeoutMs });
    if (res.status < 200 || res.status > 299) failure = `HTTP ${res.status} ${res.text.slice(0, 300)}`;
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  eventsPublished.inc({ type: event.type, result: failure === null ? "success" : "failure" });
  if (failure !== null) throw new PublishError(`publish of ${event.type} ${event.id} failed: ${failure}`);
}
