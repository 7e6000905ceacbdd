import type { Task } from "@todo/contracts/task";
import type { ServerFrame, WebSocketFrame } from "@todo/contracts/frames";

export type { ServerFrame, Task, WebSocketFrame };
export type Priority = Task["priority"];
export type Status = Task["status"];

export interface User {
  id: string;
  email: string;
}

export interface Session {
  token: string;
  user: User;
}

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

export interface TaskQuery {
  status?: Status | "";
  priority?: Priority | "";
  /** Every tag given must be on the task (sent as repeated `tag=` parameters). */
  tags?: string[];
  q?: string;
  dueAfter?: string;
  dueBefore?: string;
  sort?: "dueAt" | "priority" | "createdAt" | "title";
  order?: "asc" | "desc";
  cursor?: string;
}

export interface TaskInput {
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  dueAt: string | null;
  remindAt: string | null;
  recurrence: string | null;
  /** IANA zone the series repeats in (the browser's by default). */
  timeZone?: string;
}

/** One changed field of an update: its value before and after. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/**
 * One line of a task's history. What changed comes as `data.diff` (`[{field, before, after}]`, the
 * backend's shape) or as a `changes` map of field → before/after; older entries name only the changed
 * fields (`changes` or `data.changes` as a list). `data.status` is the task's status after the event.
 */
export interface HistoryItem {
  type: string;
  at: string;
  eventId?: string;
  changes?: Record<string, FieldChange> | string[];
  data?: { changes?: string[]; diff?: Array<FieldChange & { field: string }>; status?: string };
}

export interface Notification {
  id: string;
  taskId: string;
  title: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}
