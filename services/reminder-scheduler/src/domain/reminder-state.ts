import { sameInstant, type JobData } from "./job-schedule";

/**
 * A reminder's life: `scheduled` (a job exists) → `fired` (reminder.due published) or `cancelled`
 * (task deleted/completed, reminder cleared, or found stale at firing time). A newer
 * `reminder.scheduled` moves any state back to `scheduled`; an older event moves nothing.
 */
export type ReminderState = "scheduled" | "fired" | "cancelled";

export interface Reminder {
  taskId: string;
  userId: string;
  /** null only for a reminder we first heard of through its cancellation. */
  remindAt: string | null;
  title: string;
  state: ReminderState;
  /** `time` of the newest event applied; older events are ignored. */
  eventTime: string;
  firedAt: string | null;
  /** Carried from the scheduling event to `reminder.due`, so one trace spans the whole reminder. */
  correlationId: string;
}

export interface ScheduledFacts {
  userId: string;
  taskId: string;
  remindAt: string;
  title: string;
  /** The event's `time`. */
  time: string;
  correlationId: string;
}

export interface CancelledFacts {
  userId: string;
  taskId: string;
  time: string;
  correlationId: string;
}

/**
 * Events of one task arrive in order but may be redelivered, so an event older than the one already
 * applied is a replay and must not win. Equal times count as newer: two distinct events with the same
 * millisecond arrive in publishing order.
 */
function isOlder(current: Reminder | null, eventTime: string): boolean {
  return current !== null && Date.parse(eventTime) < Date.parse(current.eventTime);
}

export type ScheduleDecision =
  | { kind: "schedule"; next: Reminder }
  | { kind: "ignore"; reason: "older" | "already-fired" };

export function onScheduled(current: Reminder | null, e: ScheduledFacts): ScheduleDecision {
  if (isOlder(current, e.time)) return { kind: "ignore", reason: "older" };
  // The same reminder announced again (e.g. the title changed): it has already rung, do not ring twice.
  if (current?.state === "fired" && sameInstant(current.remindAt, e.remindAt)) return { kind: "ignore", reason: "already-fired" };
  return {
    kind: "schedule",
    next: {
      taskId: e.taskId,
      userId: e.userId,
      remindAt: e.remindAt,
      title: e.title,
      state: "scheduled",
      eventTime: e.time,
      firedAt: null,
      correlationId: e.correlationId,
    },
  };
}

export type CancelDecision = { kind: "cancel"; next: Reminder } | { kind: "ignore"; reason: "older" };

export function onCancelled(current: Reminder | null, e: CancelledFacts): CancelDecision {
  if (isOlder(current, e.time)) return { kind: "ignore", reason: "older" };
  // Remember the cancellation even without a row, so a replayed older `scheduled` cannot revive it.
  const base: Reminder = current ?? {
    taskId: e.taskId,
    userId: e.userId,
    remindAt: null,
    title: "",
    state: "cancelled",
    eventTime: e.time,
    firedAt: null,
    correlationId: e.correlationId,
  };
  return { kind: "cancel", next: { ...base, state: "cancelled", eventTime: e.time } };
}

/** What the backend says about the task now (null: it no longer exists). */
export interface TaskFacts {
  status: "pending" | "completed";
  remindAt: string | null;
}

export type FiringDecision =
  | { kind: "publish"; remindAt: string }
  /** Settle: the task moved on, stop the sweep from re-arming this reminder. */
  | { kind: "stale"; settle: boolean; reason: string }
  | { kind: "duplicate" };

/** A job may fire this much before remindAt (clock granularity of a local sidecar) and still count. */
export const EARLY_TOLERANCE_MS = 1000;

/** Whether the row alone already tells that this firing must do nothing (before asking the backend). */
export function preCheckFiring(row: Reminder | null, job: JobData | null, now: Date): FiringDecision | null {
  if (!row || row.remindAt === null) return { kind: "stale", settle: false, reason: "unknown reminder" };
  if (row.state === "cancelled") return { kind: "stale", settle: false, reason: "cancelled" };
  if (job && !sameInstant(job.remindAt, row.remindAt)) return { kind: "stale", settle: false, reason: "rescheduled" };
  if (row.state === "fired") return { kind: "duplicate" };
  // An old job whose data we could not read, firing for a reminder that has since moved later.
  if (now.getTime() < Date.parse(row.remindAt) - EARLY_TOLERANCE_MS) return { kind: "stale", settle: false, reason: "early" };
  return null;
}

export function decideFiring(row: Reminder | null, job: JobData | null, task: TaskFacts | null, now: Date): FiringDecision {
  const early = preCheckFiring(row, job, now);
  if (early) return early;
  const r = row as Reminder & { remindAt: string };
  if (!task) return { kind: "stale", settle: true, reason: "task gone" };
  if (task.status !== "pending") return { kind: "stale", settle: true, reason: "task not pending" };
  // The backend has a different (or no) remindAt: its reminder.scheduled/cancelled event is on the way.
  if (!sameInstant(task.remindAt, r.remindAt)) return { kind: "stale", settle: true, reason: "remindAt changed" };
  return { kind: "publish", remindAt: r.remindAt };
}
