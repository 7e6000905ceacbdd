/** The reminder choices relative to the due time; "custom" is any other instant, "none" no reminder. */
export type ReminderChoice = "none" | "at-due" | "10m" | "1h" | "1d" | "custom";

export const RELATIVE_REMINDERS: Array<{ id: Exclude<ReminderChoice, "none" | "custom">; label: string; beforeMs: number }> = [
  { id: "at-due", label: "At due time", beforeMs: 0 },
  { id: "10m", label: "10 minutes before", beforeMs: 10 * 60_000 },
  { id: "1h", label: "1 hour before", beforeMs: 60 * 60_000 },
  { id: "1d", label: "1 day before", beforeMs: 24 * 60 * 60_000 },
];

/** The choice that shows a stored `remindAt` for a due time: a relative one when it fits exactly. */
export function reminderChoiceFor(dueAt: string | null, remindAt: string | null): ReminderChoice {
  if (!remindAt) return "none";
  if (!dueAt) return "custom";
  const before = Date.parse(dueAt) - Date.parse(remindAt);
  return RELATIVE_REMINDERS.find((r) => r.beforeMs === before)?.id ?? "custom";
}

/**
 * The `remindAt` to store (the API keeps an absolute instant): relative choices follow the due time,
 * so moving the due date moves the reminder; a relative choice without a due time is no reminder.
 */
export function remindAtFor(choice: ReminderChoice, dueAt: string | null, customIso: string | null): string | null {
  if (choice === "none") return null;
  if (choice === "custom") return customIso;
  if (!dueAt) return null;
  const r = RELATIVE_REMINDERS.find((x) => x.id === choice)!;
  return new Date(Date.parse(dueAt) - r.beforeMs).toISOString();
}
