import { randomUUID } from "node:crypto";
import { SCHEMA_VERSION, topicOf, type EventOf, type EventType } from "./events";
import type { Topic } from "./topology";

export interface NewEvent<T extends EventType> {
  type: T;
  source: string;
  subject: string;
  userId: string;
  correlationId: string;
  data: EventOf<T>["data"];
  id?: string;
  time?: Date;
}

/** Builds the one envelope every event travels in. */
export function makeEvent<T extends EventType>(e: NewEvent<T>): EventOf<T> {
  return {
    specversion: "1.0",
    id: e.id ?? randomUUID(),
    type: e.type,
    source: e.source,
    time: (e.time ?? new Date()).toISOString(),
    subject: e.subject,
    userId: e.userId,
    correlationId: e.correlationId,
    schemaVersion: SCHEMA_VERSION,
    datacontenttype: "application/json",
    data: e.data,
  } as unknown as EventOf<T>;
}

export function topicFor(type: EventType): Topic {
  return topicOf[type];
}
