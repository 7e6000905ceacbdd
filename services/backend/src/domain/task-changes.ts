import type { Task } from "../../../shared/src/contracts";
import type { CreateTaskInput, NextOccurrenceInput, TaskPatch } from "./task-input";
import type { TaskRecord } from "./task-record";

/** The fields a PATCH may change, in the order `changes` lists them. */
const patchable = ["title", "description", "priority", "tags", "dueAt", "remindAt", "recurrence"] as const;
type Patchable = (typeof patchable)[number];

/** A new task: pending, version 1, the first of its own series. */
export function newTask(input: CreateTaskInput, ids: { id: string; userId: string }, now: Date): TaskRecord {
  const at = now.toISOString();
  const task: Task = {
    id: ids.id,
    userId: ids.userId,
    title: input.title,
    description: input.description,
    status: "pending",
    priority: input.priority,
    tags: input.tags,
    dueAt: input.dueAt,
    remindAt: input.remindAt,
    recurrence: input.recurrence,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    version: 1,
  };
  return { task, seriesId: ids.id, seriesIndex: 1, seriesStart: input.dueAt ?? at, parentTaskId: null };
}

/** The occurrence after a completed one: same content and series, next position, new due time. */
export function nextOccurrence(parent: TaskRecord, input: NextOccurrenceInput, id: string, now: Date): TaskRecord {
  const at = now.toISOString();
  const p = parent.task;
  return {
    task: {
      ...p,
      id,
      status: "pending",
      dueAt: input.dueAt,
      remindAt: input.remindAt,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
      version: 1,
    },
    seriesId: parent.seriesId,
    seriesIndex: parent.seriesIndex + 1,
    seriesStart: parent.seriesStart,
    parentTaskId: p.id,
  };
}

function same(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
}

/**
 * Applies a PATCH. Returns the changed field names (empty: nothing to write, nothing to emit).
 * A new rule starts a new series at this task; moving the first occurrence moves the series' start.
 */
export function applyPatch(before: TaskRecord, patch: TaskPatch, now: Date): { after: TaskRecord; changes: Patchable[] } {
  const changes = patchable.filter((k) => patch[k] !== undefined && !same(patch[k], before.task[k]));
  if (changes.length === 0) return { after: before, changes };
  const task: Task = { ...before.task, updatedAt: now.toISOString(), version: before.task.version + 1 };
  for (const k of changes) (task as Record<Patchable, unknown>)[k] = patch[k];
  let { seriesId, seriesIndex, seriesStart } = before;
  if (changes.includes("recurrence")) {
    seriesId = task.id;
    seriesIndex = 1;
  }
  if (seriesIndex === 1) seriesStart = task.dueAt ?? task.createdAt;
  return { after: { ...before, task, seriesId, seriesIndex, seriesStart }, changes };
}

/** Completing a completed task changes nothing (returns null). */
export function completeTask(before: TaskRecord, now: Date): TaskRecord | null {
  if (before.task.status === "completed") return null;
  const at = now.toISOString();
  return { ...before, task: { ...before.task, status: "completed", completedAt: at, updatedAt: at, version: before.task.version + 1 } };
}

/**
 * Reopening: a completed task becomes pending again (completedAt cleared). Reopening a pending task
 * changes nothing (returns null). It is an edit of `status` and `completedAt`, emitted as a
 * `task.updated` with those two changes, so every consumer and client already understands it. An
 * occurrence already created from this task's completion stays; completing it again creates none.
 */
export function reopenTask(before: TaskRecord, now: Date): { after: TaskRecord; changes: string[] } | null {
  if (before.task.status === "pending") return null;
  const task: Task = { ...before.task, status: "pending", completedAt: null, updatedAt: now.toISOString(), version: before.task.version + 1 };
  return { after: { ...before, task }, changes: ["status", "completedAt"] };
}

/** Why a patch cannot apply to this task, naming the field; null when it can. */
export function patchConflict(before: TaskRecord, patch: TaskPatch): { field: string; message: string } | null {
  if (before.task.status === "completed" && patch.remindAt != null && !same(patch.remindAt, before.task.remindAt)) {
    // a completed task has no reminder: it would be stored and never fire
    return { field: "remindAt", message: "a completed task cannot get a reminder; reopen it first" };
  }
  return null;
}
