import { z } from "zod";
import { instantString, storableText } from "./safe-text";
import { TaskSchema } from "./task";
import { topics, type Topic } from "./topology";

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
/** A completed task is pending again (`POST /api/tasks/:id/reopen`); the task carries the state after. */
export const TaskReopened = eventSchema("task.reopened", TaskData);
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

/**
 * The event catalog: one row per event type, saying which topic it travels on and whether browsers get
 * it as a websocket frame. The unions, `topicOf`, `schemaOfTopic`, the frame types and the metric type
 * labels are all derived from it, so a new event type is its schema above, one row here, and its
 * producer and consumer.
 */
export const eventCatalog = [
  { schema: TaskCreated, topic: topics.taskEvents, frame: true },
  { schema: TaskUpdated, topic: topics.taskEvents, frame: true },
  { schema: TaskCompleted, topic: topics.taskEvents, frame: true },
  { schema: TaskReopened, topic: topics.taskEvents, frame: true },
  { schema: TaskDeleted, topic: topics.taskEvents, frame: true },
  { schema: ReminderScheduled, topic: topics.reminders, frame: false },
  { schema: ReminderCancelled, topic: topics.reminders, frame: false },
  { schema: ReminderDue, topic: topics.reminders, frame: true },
  { schema: NotificationSent, topic: topics.notifications, frame: true },
  { schema: AccountDeleted, topic: topics.accounts, frame: false },
] as const;

type CatalogRow = (typeof eventCatalog)[number];
type EventSchema = CatalogRow["schema"];
type SchemaOnTopic<T extends Topic> = Extract<CatalogRow, { topic: T }>["schema"];

/** The type literal a row's schema accepts. */
export function typeOfRow(row: { schema: { shape: { type: { value: string } } } }): string {
  return row.schema.shape.type.value;
}

function unionOf<S extends EventSchema>(schemas: readonly S[], what: string) {
  const [first, ...rest] = schemas;
  if (!first) throw new Error(`event catalog: no event type on ${what}`);
  return z.discriminatedUnion("type", [first, ...rest]);
}

function unionOnTopic<T extends Topic>(topic: T) {
  const schemas = eventCatalog.filter((r) => r.topic === topic).map((r) => r.schema) as SchemaOnTopic<T>[];
  return unionOf(schemas, `topic ${topic}`);
}

export const TaskEvent = unionOnTopic(topics.taskEvents);
export const ReminderEvent = unionOnTopic(topics.reminders);
export const NotificationEvent = unionOnTopic(topics.notifications);
export const AccountEvent = unionOnTopic(topics.accounts);
export const AnyEvent = unionOf(eventCatalog.map((r) => r.schema), "any topic");

export type TaskEvent = z.infer<typeof TaskEvent>;
export type ReminderEvent = z.infer<typeof ReminderEvent>;
export type NotificationEvent = z.infer<typeof NotificationEvent>;
export type AccountEvent = z.infer<typeof AccountEvent>;
export type AnyEvent = z.infer<typeof AnyEvent>;
export type EventType = AnyEvent["type"];
export type EventOf<T extends EventType> = Extract<AnyEvent, { type: T }>;

/** Every event type in the catalog, in catalog order. */
export const eventTypes: readonly EventType[] = eventCatalog.map((r) => typeOfRow(r) as EventType);

const catalogued = new Set<string>(eventTypes);
/** Whether a string names an event type of the catalog (a guard for metric labels and dead letters). */
export function isEventType(type: unknown): type is EventType {
  return typeof type === "string" && catalogued.has(type);
}

/** Which topic each event type travels on. */
export const topicOf = Object.fromEntries(eventCatalog.map((r) => [typeOfRow(r), r.topic])) as Record<EventType, Topic>;

/** Schema of what may arrive on a topic. */
export const schemaOfTopic: Record<Topic, z.ZodType<AnyEvent>> = {
  [topics.taskEvents]: TaskEvent,
  [topics.reminders]: ReminderEvent,
  [topics.notifications]: NotificationEvent,
  [topics.accounts]: AccountEvent,
};

type FrameRow = Extract<CatalogRow, { frame: true }>;
/** An event browsers receive as a websocket frame (its catalog row says `frame: true`). */
export type FrameEvent = z.infer<FrameRow["schema"]>;

/** The event types browsers receive as websocket frames. */
export const frameEventTypes: readonly EventType[] = eventCatalog.filter((r) => r.frame).map((r) => typeOfRow(r) as EventType);

const framed = new Set<string>(frameEventTypes);
export function isFrameEvent(event: AnyEvent): event is FrameEvent {
  return framed.has(event.type);
}

/** The frame types of the task-events topic: each of their frames carries the task, so they share one frame shape. */
export type TaskFrameType = Extract<FrameRow, { topic: typeof topics.taskEvents }>["schema"]["shape"]["type"]["value"];
export const taskFrameTypes = eventCatalog
  .filter((r) => r.frame && r.topic === topics.taskEvents)
  .map((r) => typeOfRow(r) as TaskFrameType) as [TaskFrameType, ...TaskFrameType[]];
