import { parseRule } from "./rrule-parse";
import { firstSlotAfter } from "./series";
import { reminderLead, applyReminderLead } from "./reminder-lead";

/** Where an occurrence sits in its series: what the next one needs besides the task's content. */
export interface SeriesPosition {
  /** Canonical RRULE. */
  recurrence: string;
  /** IANA zone the rule is evaluated in. */
  timeZone: string;
  /** DTSTART of the series (instant): the first occurrence's slot. */
  seriesStart: string;
  /** The rule's time of this occurrence (instant), whatever its dueAt was moved to. */
  seriesSlot: string;
  /** 1-based index of this occurrence among the occurrences created. */
  seriesIndex: number;
  /** The user ended the series at this occurrence. */
  seriesEnded: boolean;
}

export interface CompletedOccurrence extends SeriesPosition {
  dueAt: string | null;
  remindAt: string | null;
  /** When it was completed (or skipped). */
  completedAt: string;
}

export interface NextOccurrence {
  dueAt: string;
  remindAt: string | null;
  seriesSlot: string;
  seriesIndex: number;
}

export type SeriesEnd = { ended: "by-user" | "count" | "until" | "horizon" };

/**
 * The occurrence after a completed (or skipped) one, or why the series ends. It is due at the first
 * slot strictly after both this occurrence's slot and the completion time: completing late skips the
 * slots already past instead of creating a backlog, and moving an occurrence within its day cannot
 * create a second one that day. COUNT counts occurrences created (an overdue COUNT=3 series still
 * gives 3). The reminder keeps its lead before the due time: whole local days, then exact time
 * (reminder-lead.ts, RFC 5545 §3.3.6).
 */
export function nextOccurrence(c: CompletedOccurrence): NextOccurrence | SeriesEnd {
  if (c.seriesEnded) return { ended: "by-user" };
  const rule = parseRule(c.recurrence);
  if (rule.count !== null && c.seriesIndex >= rule.count) return { ended: "count" };
  const slot = new Date(c.seriesSlot);
  const after = new Date(Math.max(slot.getTime(), new Date(c.completedAt).getTime()));
  const found = firstSlotAfter(rule, c.timeZone, new Date(c.seriesStart), after);
  if ("ended" in found) return found;
  let remindAt: string | null = null;
  if (c.remindAt !== null) {
    const lead = reminderLead(new Date(c.dueAt ?? c.seriesSlot), new Date(c.remindAt), c.timeZone);
    remindAt = applyReminderLead(found.slot, lead, c.timeZone).toISOString();
  }
  return { dueAt: found.slot.toISOString(), remindAt, seriesSlot: found.slot.toISOString(), seriesIndex: c.seriesIndex + 1 };
}
