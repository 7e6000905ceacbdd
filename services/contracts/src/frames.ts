import { z } from "zod";
import { frameEventTypes, taskFrameTypes } from "./events";
import { TaskSchema } from "./task";

/** What the websocket service sends to a browser: `{type,id,time,data}`; which types, the event catalog says. */
export const FrameTypes = frameEventTypes;

export const TaskFrame = z.object({
  type: z.enum(taskFrameTypes),
  id: z.string(),
  time: z.iso.datetime({ offset: true }),
  data: z.object({ task: TaskSchema }),
});
export const ReminderDueFrame = z.object({
  type: z.literal("reminder.due"),
  id: z.string(),
  time: z.iso.datetime({ offset: true }),
  data: z.object({ taskId: z.uuid(), remindAt: z.string(), title: z.string(), firedAt: z.string() }),
});
export const NotificationFrame = z.object({
  type: z.literal("notification.sent"),
  id: z.string(),
  time: z.iso.datetime({ offset: true }),
  data: z.object({
    notificationId: z.uuid(),
    taskId: z.uuid(),
    channel: z.string(),
    title: z.string(),
    message: z.string(),
    createdAt: z.string(),
  }),
});
export const WebSocketFrame = z.union([TaskFrame, ReminderDueFrame, NotificationFrame]);
export type WebSocketFrame = z.infer<typeof WebSocketFrame>;

/**
 * Control frames answering a reconnect with `?lastEventId=`: after the replayed frames,
 * `replay.complete`; or, when that id is not in this replica's window (too old, evicted, another user's,
 * or the replica started later), `replay.too_old`: the browser refetches instead. They carry no event id.
 */
export const ReplayCompleteFrame = z.object({
  type: z.literal("replay.complete"),
  time: z.iso.datetime({ offset: true }),
  data: z.object({ lastEventId: z.string(), replayed: z.number().int().nonnegative() }),
});
export const ReplayTooOldFrame = z.object({
  type: z.literal("replay.too_old"),
  time: z.iso.datetime({ offset: true }),
  data: z.object({ lastEventId: z.string() }),
});
export const ReplayFrame = z.union([ReplayCompleteFrame, ReplayTooOldFrame]);
export type ReplayFrame = z.infer<typeof ReplayFrame>;
/** Everything a browser may receive on `/ws`. */
export const ServerFrame = z.union([WebSocketFrame, ReplayFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
