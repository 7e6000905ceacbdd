import { createHash } from "node:crypto";
import { topicOf, type EventType } from "../../../shared/src/contracts";
import { allDeadLetterTopics, allTopics } from "../../../shared/src/topology";

/** A dead-lettered delivery as the operator sees it; labels are bounded whatever arrived. */
export interface DeadLetter {
  /** Same event delivered again (or by a second replica) → same key → one row. */
  dedupeKey: string;
  eventId: string | null;
  /** The topic the event was originally published to, or "unknown". */
  topic: string;
  /** A known event type, or null. */
  type: EventType | null;
  /** The body exactly as it arrived, as JSON text. */
  payload: string;
}

const knownTypes = new Set<string>(Object.keys(topicOf));

/**
 * Classifies whatever arrived on a dead-letter topic. It never throws: a dead letter that cannot even
 * be read is exactly what an operator needs to see.
 */
export function deadLetterOf(body: unknown): DeadLetter {
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const type = typeof fields.type === "string" && knownTypes.has(fields.type) ? (fields.type as EventType) : null;
  const eventId = typeof fields.id === "string" && fields.id.length > 0 && fields.id.length <= 200 ? fields.id : null;
  const topic = originalTopic(fields.topic, type);
  // PostgreSQL jsonb cannot hold NUL characters; dropping them keeps the rest readable.
  const payload = (JSON.stringify(body ?? null) ?? "null").replace(/\\u0000/g, "");
  const dedupeKey = eventId ? `id:${topic}:${eventId}` : `sha256:${createHash("sha256").update(payload).digest("hex")}`;
  return { dedupeKey, eventId, topic, type, payload };
}

function originalTopic(declared: unknown, type: EventType | null): string {
  if (typeof declared === "string") {
    if ((allTopics as readonly string[]).includes(declared)) return declared;
    const index = allDeadLetterTopics.indexOf(declared);
    if (index >= 0) return allTopics[index]!;
  }
  return type ? topicOf[type] : "unknown";
}
