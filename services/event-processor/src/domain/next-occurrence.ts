import { RRule, type Options } from "rrule";

/** The occurrence that was just completed, as the task.completed event and the backend describe it. */
export interface CompletedOccurrence {
  /** RRULE text, with or without the `RRULE:` prefix (a DTSTART line in it is ignored). */
  recurrence: string;
  /** DTSTART of the series (ISO): occurrences are counted from here, so COUNT holds across the series. */
  seriesStart: string;
  dueAt: string | null;
  /** Stands in for dueAt when the task had none. */
  createdAt: string;
  remindAt: string | null;
  completedAt: string;
}

export interface NextOccurrence {
  dueAt: string;
  remindAt: string | null;
}

/** A recurrence no clock can ever satisfy: retrying the event will not help. */
export class InvalidRecurrenceError extends Error {
  override name = "InvalidRecurrenceError";
}

/**
 * The next occurrence of a series after one of its occurrences was completed, or null when COUNT or
 * UNTIL ended the series. It is the first RRULE date strictly after both the completed occurrence and
 * the completion time, so completing late skips the occurrences already in the past instead of
 * creating a backlog. The reminder keeps its distance to the due time. All times are UTC instants.
 */
export function nextOccurrence(completed: CompletedOccurrence): NextOccurrence | null {
  const occurrenceAt = instant(completed.dueAt ?? completed.createdAt, "dueAt");
  const completedAt = instant(completed.completedAt, "completedAt");
  const rule = new RRule({ ...parseRule(completed.recurrence), dtstart: instant(completed.seriesStart, "seriesStart") });
  const after = new Date(Math.max(occurrenceAt.getTime(), completedAt.getTime()));
  const next = rule.after(after, false);
  if (!next) return null;
  const remindAt =
    completed.remindAt === null ? null : new Date(next.getTime() + (instant(completed.remindAt, "remindAt").getTime() - occurrenceAt.getTime()));
  return { dueAt: next.toISOString(), remindAt: remindAt?.toISOString() ?? null };
}

function parseRule(text: string): Partial<Options> {
  // Only the RRULE line counts: the series start comes from the backend, and times are UTC (no TZID).
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== "" && !/^DTSTART/i.test(l));
  if (!line) throw new InvalidRecurrenceError(`recurrence has no RRULE: ${JSON.stringify(text)}`);
  let options: Partial<Options>;
  try {
    options = RRule.parseString(line.replace(/^RRULE:/i, ""));
  } catch (err) {
    throw new InvalidRecurrenceError(`recurrence ${JSON.stringify(text)} is not an RRULE: ${(err as Error).message}`);
  }
  if (options.freq === undefined || options.freq === null) throw new InvalidRecurrenceError(`recurrence ${JSON.stringify(text)} has no FREQ`);
  const weekdays = Array.isArray(options.byweekday) ? options.byweekday : options.byweekday === undefined || options.byweekday === null ? [] : [options.byweekday];
  if (weekdays.some((d) => d === undefined || d === null)) throw new InvalidRecurrenceError(`recurrence ${JSON.stringify(text)} has an unknown BYDAY`);
  const { dtstart: _ignored, tzid: _utc, ...rest } = options;
  return rest;
}

function instant(iso: string, field: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new InvalidRecurrenceError(`${field} is not a time: ${iso}`);
  return d;
}
