import type { TaskQuery } from "./api/types";

/** The daily views; "all" is the plain filtered list. */
export type View = "all" | "today" | "upcoming" | "overdue";

export const VIEWS: Array<{ id: View; label: string; hint: string }> = [
  { id: "all", label: "All", hint: "Every task matching the filters" },
  { id: "today", label: "Today", hint: "Due today" },
  { id: "upcoming", label: "Upcoming", hint: "Due in the next 7 days after today" },
  { id: "overdue", label: "Overdue", hint: "Due before today and not done" },
];

/** Local midnight `days` after the one starting the day of `now` (DST-safe: calendar days, not 24 h). */
export function startOfLocalDay(now: Date, days = 0): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
}

/**
 * The query part of a view, in the browser's time zone, as half-open windows [dueAfter, dueBefore):
 * a task due exactly at midnight belongs to the day that starts then. Views show pending tasks sorted
 * by due date; "all" leaves the user's own filters alone.
 */
export function viewQuery(view: View, now: Date): Partial<TaskQuery> {
  const today = startOfLocalDay(now);
  const iso = (d: Date) => d.toISOString();
  switch (view) {
    case "all":
      return {};
    case "today":
      return { status: "pending", dueAfter: iso(today), dueBefore: iso(startOfLocalDay(now, 1)), sort: "dueAt", order: "asc" };
    case "upcoming":
      return { status: "pending", dueAfter: iso(startOfLocalDay(now, 1)), dueBefore: iso(startOfLocalDay(now, 8)), sort: "dueAt", order: "asc" };
    case "overdue":
      return { status: "pending", dueAfter: undefined, dueBefore: iso(today), sort: "dueAt", order: "asc" };
  }
}

/** Milliseconds until the next local midnight, when a day view's window moves on. */
export function msUntilNextDay(now: Date): number {
  return startOfLocalDay(now, 1).getTime() - now.getTime();
}
