import { z } from "zod";
import { instantString, storableText } from "./safe-text";
import { TaskSchema } from "./task";
import { topics, type Topic } from "../topology";

/**
 * The one event envelope (CloudEvents 1.0 attributes plus our extensions). `subject` is the task id,
 * which is also the partition key, so the events of one task keep their order on Kafka.
 */
export const SCHEMA_VERSION = 1;

const envelopeFields = {
  specversion: z.literal("1.0").default("1.0"),
  id: storableText().min(1).max(200),
  source: storableText().min(1).max(200),
  time: instantString(),
  subject: z.uuid(),
  userId: z.uuid(),
  correlationId: storableText().min(1).max(200),
  schemaVersion: z.literal(SCHEMA_VERSION),
  datacontenttype: z.literal("application/json").default("application/json"),
};

function eventSchema<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.object({ ...envelopeFields, type: z.literal(type), data });
}

const TaskData = z.object({ task: TaskSchema });
const ReminderRef = z.object({
  taskId: z.uuid(),
  remindAt: instantString(),
  title: storableText(),
});

export const TaskCreated = eventSchema("task.created", TaskData);
export const TaskUpdated = eventSchema(
  "task.updated",
  TaskData.extend({
    changes: z.array(storableText()),
    // The changed fields' values before the change (the task carries the values after). Optional:
    // events written before it existed have none.
    previous: z.record(z.string(), z.unknown()).optional(),
  }),
);
export const TaskCompleted = eventSchema("task.completed", TaskData);
export const TaskDeleted = eventSchema("task.deleted", TaskData);
export const ReminderScheduled = eventSchema("reminder.scheduled", ReminderRef);
export const ReminderCancelled = eventSchema(
  "reminder.cancelled",
  z.object({
    taskId: z.uuid(),
    reason: z.enum(["deleted", "completed", "cleared"]),
  }),
);
export const ReminderDue = eventSchema(
  "reminder.due",
  ReminderRef.extend({ firedAt: instantString() }),
);
export const NotificationSent = eventSchema(
  "notification.sent",
  z.object({
    notificationId: z.uuid(),
    taskId: z.uuid(),
    channel: z.enum(["in-app", "webhook"]),
    title: storableText(),
    message: storableText(),
    createdAt: instantString(),
  }),
);

/**
 * The user erased their account (`DELETE /api/account`): every service deletes what it holds of the
 * user. `subject` is the user id (the partition key). Consumers are idempotent, and keep the id to
 * ignore late events of the user still in flight on other partitions.
 */
export const AccountDeleted = eventSchema("account.deleted", z.object({ userId: z.uuid(), deletedAt: instantString() }));

export const TaskEvent = z.discriminatedUnion("type", [TaskCreated, TaskUpdated, TaskCompleted, TaskDeleted]);
export const ReminderEvent = z.discriminatedUnion("type", [ReminderScheduled, ReminderCancelled, ReminderDue]);
export const NotificationEvent = z.discriminatedUnion("type", [NotificationSent]);
export const AccountEvent = z.discriminatedUnion("type", [AccountDeleted]);
export const AnyEvent = z.discriminatedUnion("type", [
  TaskCreated,
  TaskUpdated,
  TaskCompleted,
  TaskDeleted,
  ReminderScheduled,
  ReminderCancelled,
  ReminderDue,
  NotificationSent,
  AccountDeleted,
]);

export type TaskEvent = z.infer<typeof TaskEvent>;
export type ReminderEvent = z.infer<typeof ReminderEvent>;
export type NotificationEvent = z.infer<typeof NotificationEvent>;
export type AccountEvent = z.infer<typeof AccountEvent>;
export type AnyEvent = z.infer<typeof AnyEvent>;
export type EventType = AnyEvent["type"];
export type EventOf<T extends EventType> = Extract<AnyEvent, { type: T }>;

/** Which topic each event type travels on. */
export const topicOf: Record<EventType, Topic> = {
  "task.created": topics.taskEvents,
  "task.updated": topics.taskEvents,
  "task.completed": topics.taskEvents,
  "task.deleted": topics.taskEvents,
  "reminder.scheduled": topics.reminders,
  "reminder.cancelled": topics.reminders,
  "reminder.due": topics.reminders,
  "notification.sent": topics.notifications,
  "account.deleted": topics.accounts,
};

/** Schema of what may arrive on a topic. */
export const schemaOfTopic: Record<Topic, z.ZodType<AnyEvent>> = {
  [topics.taskEvents]: TaskEvent,
  [topics.reminders]: ReminderEvent,
  [topics.notifications]: NotificationEvent,
  [topics.accounts]: AccountEvent,
};
