import { createHash } from "node:crypto";
import { isStorableText } from "@todo/contracts/safe-text";
import { topicOf, type EventType } from "@todo/contracts/events";
import { allDeadLetterTopics, allTopics } from "@todo/contracts/topology";

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
  const eventId = typeof fields.id === "string" && fields.id.length > 0 && fields.id.length <= 200 && isStorableText(fields.id) ? fields.id : null;
  const topic = originalTopic(fields.topic, type);
  const payload = storableJsonText(JSON.stringify(body ?? null) ?? "null");
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

// In JSON.stringify's output, a `\u` escape of NUL or of any surrogate is always a lone character that
// PostgreSQL's jsonb refuses (paired surrogates are written as they are, not escaped). Only an escape
// preceded by an even run of backslashes is one: `\\u0000` is the text "\u0000", which jsonb keeps.
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/gi;

/** JSON text jsonb accepts: NUL dropped, lone surrogates replaced by U+FFFD, everything else kept. */
export function storableJsonText(json: string): string {
  return json.replace(UNSTORABLE_ESCAPE, (_m, backslashes: string, code: string) => (code === "0000" ? backslashes : `${backslashes}\\ufffd`));
}
