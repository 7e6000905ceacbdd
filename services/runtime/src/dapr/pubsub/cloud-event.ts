import { randomBytes, randomUUID } from "node:crypto";

/** A CloudEvent as it travels through the local broker (our envelope fields ride along untouched). */
export type CloudEvent = Record<string, unknown> & { id: string; specversion: string; type: string; source: string };

export class CloudEventError extends Error {
  override name = "CloudEventError";
}

export interface PublishedMessage {
  body: Buffer;
  contentType: string | undefined;
  topic: string;
  pubsubName: string;
  /** App-id of the publisher: the CloudEvent `source` when Dapr wraps a raw payload. */
  sourceAppId: string;
  traceparent: string | undefined;
}

const CLOUD_EVENT_CONTENT_TYPE = /^application\/cloudevents\+json\b/i;
const JSON_CONTENT_TYPE = /^application\/(.+\+)?json\b/i;

function newTraceparent(): string {
  return `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
}

/**
 * What Dapr puts on the topic for a publish: a body sent as `application/cloudevents+json` is taken as
 * the CloudEvent itself (our envelope) and only gains `topic`, `pubsubname` and the trace fields; any
 * other body is wrapped as `data` of a new CloudEvent (`com.dapr.event.sent`).
 */
export function toCloudEvent(msg: PublishedMessage): CloudEvent {
  const traceparent = msg.traceparent ?? newTraceparent();
  const routing = { topic: msg.topic, pubsubname: msg.pubsubName };
  if (msg.contentType && CLOUD_EVENT_CONTENT_TYPE.test(msg.contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(msg.body.toString("utf8"));
    } catch {
      throw new CloudEventError("body is not valid JSON although content-type is application/cloudevents+json");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new CloudEventError("a CloudEvent must be a JSON object");
    const event = parsed as Record<string, unknown>;
    for (const field of ["id", "source", "type", "specversion"]) {
      if (typeof event[field] !== "string" || event[field] === "") throw new CloudEventError(`CloudEvent attribute "${field}" is missing`);
    }
    return {
      traceparent,
      traceid: traceparent,
      tracestate: "",
      ...event,
      ...routing,
    } as unknown as CloudEvent;
  }
  const text = msg.body.toString("utf8");
  const isJson = !msg.contentType || JSON_CONTENT_TYPE.test(msg.contentType);
  let data: unknown = text;
  if (isJson && text !== "") {
    try {
      data = JSON.parse(text);
    } catch {
      throw new CloudEventError("body is not valid JSON");
    }
  }
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: msg.sourceAppId,
    type: "com.dapr.event.sent",
    time: new Date().toISOString(),
    datacontenttype: msg.contentType ?? "application/json",
    data,
    traceparent,
    traceid: traceparent,
    tracestate: "",
    ...routing,
  };
}
