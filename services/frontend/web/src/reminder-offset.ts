import { canonicalTimeZone, shiftLocalDays } from "../../../shared/src/recurrence";

/** The reminder choices relative to the due time; "custom" is any other instant, "none" no reminder. */
export type ReminderChoice = "none" | "at-due" | "10m" | "1h" | "1d" | "custom";

/**
 * "1 day before" is one local calendar day in the task's zone (the same wall-clock time the day
 * before, 23 or 25 hours across DST), the others exact — the lead the server keeps for every later
 * occurrence (shared recurrence/reminder-lead.ts, RFC 5545 §3.3.6). 24 exact hours would read as
 * "1 day and 1 hour" across a DST change and every later occurrence would keep that.
 */
export const RELATIVE_REMINDERS: Array<{ id: Exclude<ReminderChoice, "none" | "custom">; label: string; days: number; beforeMs: number }> = [
  { id: "at-due", label: "At due time", days: 0, beforeMs: 0 },
  { id: "10m", label: "10 minutes before", days: 0, beforeMs: 10 * 60_000 },
  { id: "1h", label: "1 hour before", days: 0, beforeMs: 60 * 60_000 },
  { id: "1d", label: "1 day before", days: 1, beforeMs: 0 },
];

function before(r: (typeof RELATIVE_REMINDERS)[number], dueAt: string, timeZone: string): string {
  // a zone still being typed in the editor reads as UTC until it is one
  const zone = canonicalTimeZone(timeZone) ?? "UTC";
  return new Date(shiftLocalDays(new Date(dueAt), -r.days, zone).getTime() - r.beforeMs).toISOString();
}

/** The choice that shows a stored `remindAt` for a due time (in the task's zone): a relative one when it fits exactly. */
export function reminderChoiceFor(dueAt: string | null, remindAt: string | null, timeZone = "UTC"): ReminderChoice {
  if (!remindAt) return "none";
  if (!dueAt) return "custom";
  const at = Date.parse(remindAt);
  return RELATIVE_REMINDERS.find((r) => Date.parse(before(r, dueAt, timeZone)) === at)?.id ?? "custom";
}

/**
 * The `remindAt` to store (the API keeps an absolute instant): relative choices follow the due time,
 * so moving the due date moves the reminder; a relative choice without a due time is no reminder.
 */
export function remindAtFor(choice: ReminderChoice, dueAt: string | null, customIso: string | null, timeZone = "UTC"): string | null {
  if (choice === "none") return null;
  if (choice === "custom") return customIso;
  if (!dueAt) return null;
  return before(RELATIVE_REMINDERS.find((x) => x.id === choice)!, dueAt, timeZone);
}
