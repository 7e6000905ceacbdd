import type { AnyEvent } from "@todo/contracts/events";
import type { WebSocketFrame } from "@todo/contracts/frames";

/**
 * The browser-facing frame for an event, or null for events browsers do not get (the scheduler's
 * `reminder.scheduled/cancelled` bookkeeping). Task frames carry only `data.task`.
 */
export function frameFor(event: AnyEvent): WebSocketFrame | null {
  const head = { id: event.id, time: event.time };
  switch (event.type) {
    case "task.created":
    case "task.updated":
    case "task.completed":
    case "task.deleted":
      return { type: event.type, ...head, data: { task: event.data.task } };
    case "reminder.due":
      return { type: event.type, ...head, data: { taskId: event.data.taskId, remindAt: event.data.remindAt, title: event.data.title, firedAt: event.data.firedAt } };
    case "notification.sent":
      return { type: event.type, ...head, data: { ...event.data } };
    case "reminder.scheduled":
    case "reminder.cancelled":
    case "account.deleted": // closes the user's sockets instead (SocketHub.deliver)
      return null;
  }
}

export interface Delivery<C> {
  frame: WebSocketFrame;
  /** The user the frame belongs to, or null when the event is inconsistent and goes to nobody. */
  owner: string | null;
  recipients: C[];
}

/**
 * The fan-out decision: which frame, to which of the owner's connections (none for other users).
 * A task event whose envelope names another user than the task it carries is delivered to nobody:
 * routing by either field alone would show one user's task to the other.
 */
export function planDelivery<C>(event: AnyEvent, connectionsOf: (userId: string) => C[]): Delivery<C> | null {
  const frame = frameFor(event);
  if (!frame) return null;
  if ("task" in event.data && event.data.task.userId !== event.userId) return { frame, owner: null, recipients: [] };
  return { frame, owner: event.userId, recipients: connectionsOf(event.userId) };
}
