import { z } from "zod";
import { storableText, utcInstant } from "@todo/contracts/safe-text";
import { taskPriorities, taskStatuses } from "@todo/contracts/task";
import { canonicalRule, canonicalTimeZone, RecurrenceError } from "../../../shared/src/recurrence";

/** ISO 8601 with an offset (or Z) in, UTC ISO out; years 1–9999 in UTC, as PostgreSQL stores them. */
const instant = utcInstant();

// Every string refuses NUL and unpaired surrogates, which PostgreSQL and the outbox's JSON cannot hold.
const title = storableText().trim().min(1).max(200);
const description = storableText().max(5000);
/**
 * Characters that change how a tag reads or sorts without being seen: bidi embeddings, overrides,
 * isolates and marks, zero-width space, word joiner, BOM. With them "\u202Egat" shows as "tag" and
 * "tag\u200B" looks like "tag" yet filters apart. ZWJ/ZWNJ stay: emoji and several scripts need them.
 */
const INVISIBLE_IN_TAGS = /[\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;
/** One tag: stored text, no invisible controls, in NFC so that "e\u0301" and "é" are one tag. */
const tagText = storableText()
  .trim()
  .min(1)
  .max(40)
  .refine((t) => !INVISIBLE_IN_TAGS.test(t), "must not contain invisible direction or zero-width characters")
  .transform((t) => t.normalize("NFC"));
const tags = z.array(tagText).max(20).transform(normaliseTags);
const recurrence = z
  .string()
  .max(500)
  .transform((s, ctx) => {
    try {
      return canonicalRule(s);
    } catch (err) {
      if (!(err instanceof RecurrenceError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
      return z.NEVER;
    }
  });

/**
 * Tags are trimmed and deduplicated case-insensitively: the first spelling given is the one stored
 * (["Work","work","WORK"] → ["Work"]). Filtering by tag ignores case as well (data/tasks.ts).
 */
export function normaliseTags(tags: string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((t) => {
    const key = t.toUpperCase().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An IANA zone the runtime knows, in its canonical spelling. */
const timeZone = z
  .string()
  .max(64)
  .transform((s, ctx) => {
    const zone = canonicalTimeZone(s);
    if (zone === null) {
      ctx.addIssue({ code: "custom", message: "timeZone must be an IANA time zone name the server knows (e.g. Europe/Berlin)" });
      return z.NEVER;
    }
    return zone;
  });

export const CreateTaskBody = z.strictObject({
  title,
  description: description.default(""),
  priority: z.enum(taskPriorities).default("medium"),
  tags: tags.default([]),
  dueAt: instant.nullable().default(null),
  remindAt: instant.nullable().default(null),
  recurrence: recurrence.nullable().default(null),
  timeZone: timeZone.default("UTC"),
});
export type CreateTaskInput = z.infer<typeof CreateTaskBody>;

export const PatchTaskBody = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    priority: z.enum(taskPriorities).optional(),
    tags: tags.optional(),
    dueAt: instant.nullable().optional(),
    remindAt: instant.nullable().optional(),
    recurrence: recurrence.nullable().optional(),
    timeZone: timeZone.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "at least one field is required" });
export type TaskPatch = z.infer<typeof PatchTaskBody>;

export const sortKeys = ["dueAt", "priority", "createdAt", "title"] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortOrder = "asc" | "desc";

/** Without `order`: the natural reading of each sort (soonest due, highest priority, newest, A→Z). */
export const defaultOrder: Record<SortKey, SortOrder> = { dueAt: "asc", priority: "desc", createdAt: "desc", title: "asc" };

export const ListTasksQuery = z
  .strictObject({
    status: z.enum(taskStatuses).optional(),
    priority: z.enum(taskPriorities).optional(),
    // `tag=a&tag=b`: tasks carrying both (each filter narrows, like the others)
    tag: z
      .union([tagText, z.array(tagText).max(10)])
      .optional()
      .transform((t) => (t === undefined ? [] : typeof t === "string" ? [t] : t)),
    q: storableText().trim().min(1).max(200).optional(),
    dueBefore: instant.optional(),
    dueAfter: instant.optional(),
    sort: z.enum(sortKeys).default("createdAt"),
    order: z.enum(["asc", "desc"]).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(1000).optional(),
    // the change feed (routes/task-routes.ts): what changed after this instant, deletions included
    updatedAfter: instant.optional(),
  })
  .transform((q) => ({ ...q, order: q.order ?? defaultOrder[q.sort] }));
export type ListTasksInput = z.infer<typeof ListTasksQuery>;

export const TaskIdParams = z.object({ id: z.uuid() });

const uuid = z.uuid();

/**
 * `POST internal/tasks/next-occurrence` from the event-processor: everything the next occurrence needs,
 * taken from the `task.completed` event (the completed task may be gone by now), keyed by that event.
 */
export const NextOccurrenceBody = z.strictObject({
  eventId: storableText().min(1).max(200),
  correlationId: storableText().min(1).max(200),
  parentTaskId: uuid,
  /** The completed task's version in the completion event; absent from an older event-processor. */
  parentVersion: z.number().int().positive().optional(),
  userId: uuid,
  title,
  description,
  priority: z.enum(taskPriorities),
  tags: z.array(storableText().min(1).max(40)).max(20),
  recurrence,
  timeZone,
  seriesId: uuid,
  seriesStart: instant,
  seriesSlot: instant,
  seriesIndex: z.number().int().min(2).max(1_000_000),
  dueAt: instant,
  remindAt: instant.nullable(),
});
export type NextOccurrenceInput = z.infer<typeof NextOccurrenceBody>;
