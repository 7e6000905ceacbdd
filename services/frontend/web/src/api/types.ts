import type { Task } from "../../../../shared/src/contracts/task";
import type { WebSocketFrame } from "../../../../shared/src/contracts/frames";

export type { Task, WebSocketFrame };
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
  tag?: string;
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
}

export interface HistoryItem {
  type: string;
  at: string;
  eventId?: string;
}

export interface Notification {
  id: string;
  taskId: string;
  title: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}
