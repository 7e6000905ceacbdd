import { RRule } from "rrule";
import { canonicalTimeZone, checkSeriesRule, parseRule, RecurrenceError, toFloating, upcomingSlots, WEEKDAY_CODES } from "../../../shared/src/recurrence";

/** The presets the editor offers; anything else is edited as a custom RRULE. */
export type RecurrencePreset = "none" | "daily" | "weekdays" | "weekly" | "monthly" | "custom";

export const WEEKDAYS = WEEKDAY_CODES;
export type WeekdayCode = (typeof WEEKDAYS)[number];

export interface RecurrenceChoice {
  preset: RecurrencePreset;
  /** Days for the weekly preset. */
  days: WeekdayCode[];
  /** The RRULE text for the custom preset. */
  custom: string;
}

/**
 * "Monthly" as people mean it: on the due date's day, or the month's last day when the month is
 * shorter (due the 31st → 28/29 February, 30 April). The last of the days 28..31 the month has that
 * are ≥ the due day; a raw RRULE (the custom preset) keeps RFC semantics (BYMONTHDAY=31 skips months).
 */
export function monthlyRule(dueDay: number): string {
  if (dueDay <= 28) return `FREQ=MONTHLY;BYMONTHDAY=${dueDay}`;
  const days = [];
  for (let d = 28; d <= dueDay; d++) days.push(d);
  return `FREQ=MONTHLY;BYMONTHDAY=${days.join(",")};BYSETPOS=-1`;
}

/**
 * The RRULE (RFC 5545, without DTSTART: the task's due date is the start) for a choice, or null.
 * `dueDay` is the day of month of the due date in the series' zone (the monthly preset needs it).
 */
export function ruleFor(choice: RecurrenceChoice, dueDay = 1): string | null {
  switch (choice.preset) {
    case "none":
      return null;
    case "daily":
      return "FREQ=DAILY";
    case "weekdays":
      return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
    case "weekly":
      return `FREQ=WEEKLY;BYDAY=${(choice.days.length ? choice.days : ["MO"]).join(",")}`;
    case "monthly":
      return monthlyRule(dueDay);
    case "custom":
      return choice.custom.trim().replace(/^RRULE:/i, "") || null;
  }
}

function sameChoice(a: RecurrenceChoice, b: RecurrenceChoice): boolean {
  return a.preset === b.preset && a.custom === b.custom && a.days.length === b.days.length && a.days.every((d) => b.days.includes(d));
}

/** Whether a rule is one the monthly preset writes (for some day of the month). */
function isMonthlyPresetRule(rule: string): boolean {
  const r = rule.toUpperCase();
  return Array.from({ length: 31 }, (_, i) => monthlyRule(i + 1)).includes(r);
}

/**
 * The rule an edit saves. A task's stored rule is kept unless the user changed the Repeat controls:
 * re-deriving the monthly preset from a later occurrence's due day (28 February) would turn "the 31st,
 * or the month's last day" into "the 28th", and the server would start a new series at that
 * occurrence (COUNT counted again) on a save that only renamed it. The one exception is the series'
 * first occurrence with a monthly preset rule: moving it moves the series (as on the server), so its
 * rule follows the due day, as when it was created.
 */
export function ruleOnSave(edit: { stored: string | null; firstOccurrence: boolean; initial: RecurrenceChoice } | null, choice: RecurrenceChoice, dueDay: number): string | null {
  if (!edit || !sameChoice(choice, edit.initial)) return ruleFor(choice, dueDay);
  if (edit.stored && edit.firstOccurrence && isMonthlyPresetRule(edit.stored)) return monthlyRule(dueDay);
  return edit.stored;
}

/** The choice that shows an existing rule in the editor. */
export function choiceFor(rule: string | null): RecurrenceChoice {
  const base: RecurrenceChoice = { preset: "none", days: [], custom: "" };
  if (!rule) return base;
  const r = rule.toUpperCase();
  if (r === "FREQ=DAILY") return { ...base, preset: "daily" };
  if (r === "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR") return { ...base, preset: "weekdays" };
  if (/^FREQ=MONTHLY(;BYMONTHDAY=(\d{1,2}|28(,\d\d)+;BYSETPOS=-1))?$/.test(r)) return { ...base, preset: "monthly" };
  const weekly = /^FREQ=WEEKLY;BYDAY=((?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)$/.exec(r);
  if (weekly) return { ...base, preset: "weekly", days: weekly[1]!.split(",") as WeekdayCode[] };
  return { ...base, preset: "custom", custom: rule };
}

/** The browser's own IANA zone (what a new series uses unless the user picks another). */
export function browserTimeZone(): string {
  return canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone) ?? "UTC";
}

/** The zones the runtime knows, for the editor's zone picker. */
export function knownTimeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported("timeZone") : ["UTC"];
}

/**
 * The first `count` occurrences of a series due at `start` with `rule` in `timeZone`, for the editor's
 * preview — computed by the same module the server uses, so the preview is what the server will
 * create: the first task at `start`, then the rule's next slots. An error message instead when the
 * server would refuse the rule or the zone (the same messages).
 */
export function previewOccurrences(rule: string, start: Date, count = 3, timeZone = "UTC"): { dates: Date[] } | { error: string } {
  const zone = canonicalTimeZone(timeZone);
  if (zone === null) return { error: "Unknown time zone." };
  try {
    checkSeriesRule(rule, zone, start);
    return { dates: [start, ...upcomingSlots(rule, zone, start, count - 1)] };
  } catch (err) {
    if (err instanceof RecurrenceError) return { error: err.message };
    return { error: "Not a valid RRULE." };
  }
}

/** The wall-clock date and time of `d` in `timeZone`, as the preview shows it. */
export function formatInZone(d: Date, timeZone: string): string {
  return d.toLocaleString(undefined, { timeZone, weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** The rule in words for the task list; the text itself when rrule cannot say it. */
export function describeRule(rule: string): string {
  try {
    // only text our parser accepts reaches rrule's own (for its wording, never for dates)
    parseRule(rule);
    return RRule.fromString(rule).toText();
  } catch {
    return rule;
  }
}

/** The day of month of `d` in `timeZone` (the monthly preset repeats on it). */
export function dayOfMonthIn(d: Date, timeZone: string): number {
  return toFloating(d, canonicalTimeZone(timeZone) ?? "UTC").getUTCDate();
}
