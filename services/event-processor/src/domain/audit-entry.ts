import type { TaskEvent } from "../../../shared/src";

/** One line of a task's audit trail. */
export interface AuditEntry {
  eventId: string;
  taskId: string;
  userId: string;
  type: TaskEvent["type"];
  /** When it happened (the event time), not when it was recorded. */
  at: string;
  taskVersion: number;
  correlationId: string;
  data: AuditSnapshot;
}

/** What the trail keeps of the task: enough to read the history, not a copy of every field. */
export interface AuditSnapshot {
  title: string;
  status: string;
  priority: string;
  dueAt: string | null;
  remindAt: string | null;
  recurrence: string | null;
  completedAt: string | null;
  version: number;
  changes?: string[];
}

export function auditEntryOf(event: TaskEvent): AuditEntry {
  const { task } = event.data;
  const data: AuditSnapshot = {
    title: task.title,
    status: task.status,
    priority: task.priority,
    dueAt: task.dueAt,
    remindAt: task.remindAt,
    recurrence: task.recurrence,
    completedAt: task.completedAt,
    version: task.version,
    ...(event.type === "task.updated" ? { changes: event.data.changes } : {}),
  };
  return {
    eventId: event.id,
    // the subject is the task id by contract; the task itself is the authority if they ever differ
    taskId: task.id,
    userId: task.userId,
    type: event.type,
    at: new Date(event.time).toISOString(),
    taskVersion: task.version,
    correlationId: event.correlationId,
    data,
  };
}
