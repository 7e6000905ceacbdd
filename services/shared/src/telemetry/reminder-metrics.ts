import { Counter, Histogram } from "prom-client";
import { registry } from "./registry";

export const remindersScheduled = new Counter({
  name: "todo_reminders_scheduled_total",
  help: "Dapr Jobs created or re-created for reminders, by trigger (event|sweep)",
  labelNames: ["trigger"] as const,
  registers: [registry],
});

export const remindersCancelled = new Counter({
  name: "todo_reminders_cancelled_total",
  help: "Reminder jobs deleted, by reason (deleted|completed|cleared)",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const remindersFired = new Counter({
  name: "todo_reminders_fired_total",
  help: "Reminder job callbacks, by result (published|stale|duplicate)",
  labelNames: ["result"] as const,
  registers: [registry],
});

export const reminderLateness = new Histogram({
  name: "todo_reminder_lateness_seconds",
  help: "Time from a reminder's remindAt to the moment reminder.due was published",
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [registry],
});
