import { fromFloating, toFloating } from "./zoned-time";

const DAY = 86_400_000;

/**
 * How long before its due time a reminder is, measured the way RFC 5545 §3.3.6 measures a duration:
 * whole days are nominal — local calendar days, 23 or 25 hours across DST, so "1 day before" stays at
 * the same local time the day before — and the rest is exact, so "1 hour before" stays 60 minutes
 * before also on the day a DST change lies between the two (read as wall-clock time, "1 hour before
 * 03:30" is 02:30, which does not exist on a spring-forward day; §3.3.5 reads it as 03:30, the due
 * time itself, and every later occurrence would inherit a lead of zero). Negative days and time for a
 * reminder after the due time.
 */
export interface ReminderLead {
  days: number;
  exactMs: number;
}

/** The same local wall-clock time `days` local days after `instant` in `timeZone` (§3.3.5 in a gap). */
export function shiftLocalDays(instant: Date, days: number, timeZone: string): Date {
  if (days === 0) return instant;
  const ms = ((instant.getTime() % 1000) + 1000) % 1000; // toFloating works in whole seconds
  return new Date(fromFloating(new Date(toFloating(instant, timeZone).getTime() + days * DAY), timeZone).getTime() + ms);
}

/**
 * The lead of a reminder at `remindAt` before `dueAt` in `timeZone`: as many whole local days as fit
 * between them, then the exact rest (less than one local day), so that applyReminderLead gives `remindAt`
 * back and a later occurrence keeps the same lead.
 */
export function reminderLead(dueAt: Date, remindAt: Date, timeZone: string): ReminderLead {
  const sign = remindAt <= dueAt ? 1 : -1;
  // the largest n whose day shift of the due time (towards the reminder) has not passed the reminder
  const fits = (n: number) => sign * (shiftLocalDays(dueAt, -sign * n, timeZone).getTime() - remindAt.getTime()) >= 0;
  const wall = Math.abs(toFloating(dueAt, timeZone).getTime() - toFloating(remindAt, timeZone).getTime());
  let n = Math.floor(wall / DAY);
  // the wall-clock estimate is off by about a day at most (offsets differ by a day at most, Samoa
  // 2011): a few bounded steps correct it
  for (let i = 0; i < 3 && n > 0 && !fits(n); i++) n--;
  for (let i = 0; i < 3 && fits(n + 1); i++) n++;
  const days = sign * n;
  return { days, exactMs: shiftLocalDays(dueAt, -days, timeZone).getTime() - remindAt.getTime() };
}

/** The reminder that is `lead` before `dueAt` in `timeZone`. */
export function applyReminderLead(dueAt: Date, lead: ReminderLead, timeZone: string): Date {
  return new Date(shiftLocalDays(dueAt, -lead.days, timeZone).getTime() - lead.exactMs);
}
