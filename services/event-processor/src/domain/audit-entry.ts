import { historyItemOf, type HistorySnapshot } from "@todo/contracts/history";
import { type TaskEvent } from "@todo/contracts/events";

/** One line of a task's audit trail: its history line plus the keys it is stored and owned under. */
export interface AuditEntry {
  eventId: string;
  taskId: string;
  userId: string;
  type: TaskEvent["type"];
  /** When it happened (the event time), not when it was recorded. */
  at: string;
  taskVersion: number;
  correlationId: string;
  data: HistorySnapshot;
}

export function auditEntryOf(event: TaskEvent): AuditEntry {
  const { task } = event.data;
  const item = historyItemOf(event);
  return {
    eventId: item.eventId,
    // the subject is the task id by contract; the task itself is the authority if they ever differ
    taskId: task.id,
    userId: task.userId,
    type: item.type,
    at: item.at,
    taskVersion: task.version,
    correlationId: item.correlationId,
    data: item.data,
  };
}
