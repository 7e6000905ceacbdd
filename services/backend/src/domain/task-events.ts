import { makeEvent } from "@todo/contracts/envelope";
import { type AnyEvent } from "@todo/contracts/events";
import { type Task } from "@todo/contracts/task";

/** A committed state change of one task. */
export type TaskChange =
  | { kind: "created"; task: Task }
  | { kind: "updated"; before: Task; after: Task; changes: string[] }
  | { kind: "completed"; before: Task; after: Task }
  | { kind: "reopened"; before: Task; after: Task }
  | { kind: "deleted"; task: Task };

export interface EventContext {
  source: string;
  correlationId: string;
  time: Date;
}

/**
 * Which events a change produces, in the order they must be published: the task event first, then
 * what it means for the task's reminder. A reminder exists while the task is pending and has remindAt;
 * moving it re-schedules (the scheduler overwrites the job), removing it cancels with the reason.
 */
export function eventsFor(change: TaskChange, ctx: EventContext): AnyEvent[] {
  const task = change.kind === "created" || change.kind === "deleted" ? change.task : change.after;
  const base = { source: ctx.source, subject: task.id, userId: task.userId, correlationId: ctx.correlationId, time: ctx.time };
  const scheduled = (t: Task) =>
    makeEvent({ ...base, type: "reminder.scheduled", data: { taskId: t.id, remindAt: t.remindAt!, title: t.title } });
  const cancelled = (reason: "deleted" | "completed" | "cleared") =>
    makeEvent({ ...base, type: "reminder.cancelled", data: { taskId: task.id, reason } });
  const hasReminder = (t: Task) => t.status === "pending" && t.remindAt !== null;

  switch (change.kind) {
    case "created":
      return [makeEvent({ ...base, type: "task.created", data: { task } }), ...(hasReminder(task) ? [scheduled(task)] : [])];
    case "updated": {
      // the changed task fields' values before (a change name that is no task field has none)
      const previous = Object.fromEntries(change.changes.filter((f) => f in change.before).map((f) => [f, change.before[f as keyof Task]]));
      const events: AnyEvent[] = [makeEvent({ ...base, type: "task.updated", data: { task, changes: change.changes, previous } })];
      if (hasReminder(change.after) && (change.before.remindAt !== change.after.remindAt || !hasReminder(change.before))) {
        events.push(scheduled(change.after));
      } else if (hasReminder(change.before) && !hasReminder(change.after)) {
        events.push(cancelled("cleared"));
      } else if (hasReminder(change.after) && change.changes.includes("title")) {
        // the reminder carries the title it will show: re-schedule so it shows the current one
        events.push(scheduled(change.after));
      }
      return events;
    }
    case "completed":
      return [makeEvent({ ...base, type: "task.completed", data: { task } }), ...(hasReminder(change.before) ? [cancelled("completed")] : [])];
    case "reopened":
      // pending again: a reminder it still has is armed again (one already past fires at once)
      return [makeEvent({ ...base, type: "task.reopened", data: { task } }), ...(hasReminder(change.after) ? [scheduled(change.after)] : [])];
    case "deleted":
      return [makeEvent({ ...base, type: "task.deleted", data: { task } }), ...(hasReminder(task) ? [cancelled("deleted")] : [])];
  }
}
