import type { Task } from "./task";
import type { TaskEvent } from "./events";

/** One changed field of a `task.updated`: the value before and after the change. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** What a task's history keeps of the task at each event: enough to read the history in words. */
export interface HistorySnapshot {
  title: string;
  status: string;
  priority: string;
  dueAt: string | null;
  remindAt: string | null;
  recurrence: string | null;
  completedAt: string | null;
  version: number;
  /** task.updated: the names of the changed fields, in the API's field order. */
  changes?: string[];
  /** task.updated: every changed field with its value before and after (absent on entries recorded before it existed). */
  diff?: FieldChange[];
}

/** One line of `GET /api/tasks/:id/history`. */
export interface HistoryItem {
  type: TaskEvent["type"];
  /** When it happened (the event time), not when it was recorded. */
  at: string;
  eventId: string;
  correlationId: string;
  data: HistorySnapshot;
}

/**
 * The history line of a task event. The audit trail (event-processor) records exactly this, and the
 * backend builds the same line from its outbox for a change not yet audited, so both agree.
 */
export function historyItemOf(event: TaskEvent): HistoryItem {
  const { task } = event.data;
  const data: HistorySnapshot = {
    title: task.title,
    status: task.status,
    priority: task.priority,
    dueAt: task.dueAt,
    remindAt: task.remindAt,
    recurrence: task.recurrence,
    completedAt: task.completedAt,
    version: task.version,
  };
  if (event.type === "task.updated") {
    data.changes = event.data.changes;
    const previous = event.data.previous;
    if (previous) {
      data.diff = event.data.changes
        .filter((field) => Object.hasOwn(previous, field))
        .map((field) => ({ field, before: previous[field] ?? null, after: task[field as keyof Task] ?? null }));
    }
  }
  return { type: event.type, at: new Date(event.time).toISOString(), eventId: event.id, correlationId: event.correlationId, data };
}

/**
 * Oldest first; events of the same instant in task version order (the audit trail's order). Sorting
 * is stable, so equal keys keep the order they came in.
 */
export function orderHistory(items: HistoryItem[]): HistoryItem[] {
  return [...items].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.data.version - b.data.version);
}
