import type { EventOf } from "@todo/contracts/events";

/** An in-app notification as the API returns it. */
export interface Notification {
  id: string;
  userId: string;
  taskId: string;
  remindAt: string;
  channel: "in-app";
  title: string;
  message: string;
  createdAt: string;
  readAt: string | null;
  publishedAt: string | null;
  /** Insertion order (page cursor). */
  seq: number;
}

export interface NewNotification {
  userId: string;
  taskId: string;
  remindAt: string;
  title: string;
  message: string;
}

/** What the user is told when a reminder is due. */
export function notificationOfReminder(event: EventOf<"reminder.due">): NewNotification {
  const title = event.data.title.trim() || "Untitled task";
  return {
    userId: event.userId,
    taskId: event.data.taskId,
    remindAt: new Date(event.data.remindAt).toISOString(),
    title,
    message: `Reminder: "${title}"`,
  };
}

/** Opaque keyset cursor for "older than this one" pages: the position of the last item seen. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`n:${seq}`).toString("base64url");
}

/** null for anything that is not a cursor this service made. */
export function decodeCursor(text: string): number | null {
  const match = /^n:(\d{1,15})$/.exec(Buffer.from(text, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}
