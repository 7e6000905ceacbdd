import type { Task } from "@todo/contracts/task";
import { checkSeriesRule, nextOccurrence as nextInSeries, RecurrenceError } from "../../../shared/src/recurrence";
import type { CreateTaskInput, NextOccurrenceInput, TaskPatch } from "./task-input";
import { synced, type TaskRecord } from "./task-record";

/**
 * A series change the domain refuses (the commands answer it over HTTP): `invalid` is a 400 naming
 * `field`, `conflict` a 409 — the task's state forbids it.
 */
export class SeriesRefusal extends Error {
  override name = "SeriesRefusal";
  constructor(
    readonly kind: "invalid" | "conflict",
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const conflict = (message: string) => new SeriesRefusal("conflict", message);

/** The fields a PATCH may change, in the order `changes` lists them. */
const patchable = ["title", "description", "priority", "tags", "dueAt", "remindAt", "recurrence", "timeZone"] as const;
type Patchable = (typeof patchable)[number];

/**
 * A recurring series must produce an occurrence after its start within the horizon (a rule like
 * FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30 never does): a 400 naming `recurrence` otherwise. Bounded (the
 * shared module walks a capped number of periods).
 */
function checkSeries(rec: TaskRecord): void {
  if (rec.task.recurrence === null) return;
  try {
    checkSeriesRule(rec.task.recurrence, rec.timeZone, new Date(rec.seriesStart));
  } catch (err) {
    if (!(err instanceof RecurrenceError)) throw err;
    throw new SeriesRefusal("invalid", err.message, "recurrence");
  }
}

/** The content a new task and a next occurrence both start from. */
type TaskContent = Pick<Task, "userId" | "title" | "description" | "priority" | "tags" | "dueAt" | "remindAt" | "recurrence">;

/** A task as it is born: pending, version 1, created and updated now. */
function pendingTask(id: string, content: TaskContent, now: Date): Task {
  const at = now.toISOString();
  return {
    id,
    userId: content.userId,
    title: content.title,
    description: content.description,
    status: "pending",
    priority: content.priority,
    tags: content.tags,
    dueAt: content.dueAt,
    remindAt: content.remindAt,
    recurrence: content.recurrence,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    version: 1,
  };
}

/** A new task: pending, version 1, the first of its own series. */
export function newTask(input: CreateTaskInput, ids: { id: string; userId: string }, now: Date): TaskRecord {
  const task = pendingTask(ids.id, { ...input, userId: ids.userId }, now);
  const start = input.dueAt ?? task.createdAt;
  const rec = synced({ task, seriesId: ids.id, seriesIndex: 1, seriesStart: start, seriesSlot: start, timeZone: input.timeZone, seriesEnded: false, parentTaskId: null });
  checkSeries(rec);
  return rec;
}

/**
 * The occurrence a completion event asked for: the completed task's content and series (all carried
 * by the event, so the parent need not exist any more), next position, new due time.
 */
export function nextOccurrence(input: NextOccurrenceInput, id: string, now: Date): TaskRecord {
  return synced({
    task: pendingTask(id, input, now),
    seriesId: input.seriesId,
    seriesIndex: input.seriesIndex,
    seriesStart: input.seriesStart,
    seriesSlot: input.seriesSlot,
    timeZone: input.timeZone,
    seriesEnded: false,
    parentTaskId: input.parentTaskId,
  });
}

function same(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
}

/**
 * Applies a PATCH. Returns the changed field names (empty: nothing to write, nothing to emit).
 * A new rule or zone starts a new series at this task; moving the first occurrence moves the series'
 * start (and its slot). Moving a later occurrence keeps its slot: the series stays on its rule.
 */
export function applyPatch(before: TaskRecord, patch: TaskPatch, now: Date): { after: TaskRecord; changes: Patchable[] } {
  const current = { ...before.task, timeZone: before.timeZone };
  const changes = patchable.filter((k) => patch[k] !== undefined && !same(patch[k], current[k]));
  if (changes.length === 0) return { after: before, changes };
  const task: Task = { ...before.task, updatedAt: now.toISOString(), version: before.task.version + 1 };
  for (const k of changes) if (k !== "timeZone") (task as Record<Patchable, unknown>)[k] = patch[k];
  let { seriesId, seriesIndex, seriesStart, seriesSlot, seriesEnded } = before;
  const timeZone = patch.timeZone ?? before.timeZone;
  if (changes.includes("recurrence") || changes.includes("timeZone")) {
    seriesId = task.id;
    seriesIndex = 1;
    seriesEnded = false;
  }
  if (seriesIndex === 1) seriesStart = seriesSlot = task.dueAt ?? task.createdAt;
  const after = synced({ ...before, task, seriesId, seriesIndex, seriesStart, seriesSlot, timeZone, seriesEnded });
  if (changes.some((c) => c === "recurrence" || c === "timeZone" || c === "dueAt")) checkSeries(after);
  return { after, changes };
}

/**
 * Completing a completed task changes nothing (returns null). Completing the last occurrence of a
 * series (COUNT reached, past UNTIL, nothing within the horizon) marks the series ended, so the task
 * shows it; the next occurrence itself is the event-processor's (same module, same inputs).
 */
export function completeTask(before: TaskRecord, now: Date): TaskRecord | null {
  if (before.task.status === "completed") return null;
  const at = now.toISOString();
  const task: Task = { ...before.task, status: "completed", completedAt: at, updatedAt: at, version: before.task.version + 1 };
  const ended = before.seriesEnded || (task.recurrence !== null && !continues({ ...before, task }));
  return synced({ ...before, task, seriesEnded: ended });
}

/**
 * Whether an occurrence is followed by another. A rule stored before the strict parser existed that it
 * now refuses (BYMONTH=13, FREQ=SECONDLY) ends its series here rather than failing the completion.
 */
function continues(rec: TaskRecord): boolean {
  try {
    return !("ended" in nextInSeries(completedOccurrence(rec)));
  } catch (err) {
    if (err instanceof RecurrenceError) return false;
    throw err;
  }
}

/** The series position of a completed (or skipped at `now`) occurrence, as the shared module reads it. */
export function completedOccurrence(rec: TaskRecord, now?: Date) {
  const t = rec.task;
  return {
    recurrence: t.recurrence!,
    timeZone: rec.timeZone,
    seriesStart: rec.seriesStart,
    seriesSlot: rec.seriesSlot,
    seriesIndex: rec.seriesIndex,
    seriesEnded: rec.seriesEnded,
    dueAt: t.dueAt,
    remindAt: t.remindAt,
    completedAt: now?.toISOString() ?? t.completedAt!,
  };
}

/**
 * "Skip this occurrence": the task moves on to the series' next occurrence (next slot after both this
 * slot and now, index + 1, reminder kept at the same local distance) instead of being completed — no
 * completion is recorded and no second task appears. 409 when it is not a pending recurring task or
 * no occurrence follows (COUNT, UNTIL, an ended series): complete or delete it instead.
 */
export function skipOccurrence(before: TaskRecord, now: Date): TaskRecord {
  const t = before.task;
  if (t.recurrence === null) throw conflict("task does not recur");
  if (t.status !== "pending") throw conflict("only a pending occurrence can be skipped");
  let next;
  try {
    next = nextInSeries(completedOccurrence(before, now));
  } catch (err) {
    if (!(err instanceof RecurrenceError)) throw err;
    throw conflict(`the task's rule is no longer accepted (${err.message}): change it, or complete or delete this occurrence`);
  }
  if ("ended" in next) throw conflict(`the series has no next occurrence (${next.ended}): complete or delete this one`);
  return synced({
    ...before,
    task: { ...t, dueAt: next.dueAt, remindAt: next.remindAt, updatedAt: now.toISOString(), version: t.version + 1 },
    seriesSlot: next.seriesSlot,
    seriesIndex: next.seriesIndex,
  });
}

/** "End the series": this occurrence is the last; completing it creates no next. Null if already ended. */
export function endSeries(before: TaskRecord, now: Date): TaskRecord | null {
  if (before.task.recurrence === null) throw conflict("task does not recur");
  if (before.seriesEnded) return null;
  return synced({ ...before, seriesEnded: true, task: { ...before.task, updatedAt: now.toISOString(), version: before.task.version + 1 } });
}

/**
 * Reopening: a completed task becomes pending again (completedAt cleared), published as
 * `task.reopened`. Reopening a pending task changes nothing (returns null). An occurrence already
 * created from this task's completion stays; completing it again creates none.
 */
export function reopenTask(before: TaskRecord, now: Date): TaskRecord | null {
  if (before.task.status === "pending") return null;
  return { ...before, task: { ...before.task, status: "pending", completedAt: null, updatedAt: now.toISOString(), version: before.task.version + 1 } };
}

/** Why a patch cannot apply to this task, naming the field; null when it can. */
export function patchConflict(before: TaskRecord, patch: TaskPatch): { field: string; message: string } | null {
  if (before.task.status === "completed" && patch.remindAt != null && !same(patch.remindAt, before.task.remindAt)) {
    // a completed task has no reminder: it would be stored and never fire
    return { field: "remindAt", message: "a completed task cannot get a reminder; reopen it first" };
  }
  return null;
}
