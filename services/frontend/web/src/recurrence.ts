import { RRule, Weekday } from "rrule";

/** The presets the editor offers; anything else is edited as a custom RRULE. */
export type RecurrencePreset = "none" | "daily" | "weekdays" | "weekly" | "monthly" | "custom";

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type WeekdayCode = (typeof WEEKDAYS)[number];

export interface RecurrenceChoice {
  preset: RecurrencePreset;
  /** Days for the weekly preset. */
  days: WeekdayCode[];
  /** The RRULE text for the custom preset. */
  custom: string;
}

/** The RRULE (RFC 5545, without DTSTART: the task's due date is the start) for a choice, or null. */
export function ruleFor(choice: RecurrenceChoice): string | null {
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
      return "FREQ=MONTHLY";
    case "custom":
      return choice.custom.trim().replace(/^RRULE:/i, "") || null;
  }
}

/** The choice that shows an existing rule in the editor. */
export function choiceFor(rule: string | null): RecurrenceChoice {
  const base: RecurrenceChoice = { preset: "none", days: [], custom: "" };
  if (!rule) return base;
  const r = rule.toUpperCase();
  if (r === "FREQ=DAILY") return { ...base, preset: "daily" };
  if (r === "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR") return { ...base, preset: "weekdays" };
  if (r === "FREQ=MONTHLY") return { ...base, preset: "monthly" };
  const weekly = /^FREQ=WEEKLY;BYDAY=((?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)$/.exec(r);
  if (weekly) return { ...base, preset: "weekly", days: weekly[1]!.split(",") as WeekdayCode[] };
  return { ...base, preset: "custom", custom: rule };
}

/**
 * The next `count` occurrences of a rule starting at `start`, for the editor's preview; an error
 * message instead when the rule does not parse (the server validates it again).
 */
export function previewOccurrences(rule: string, start: Date, count = 3): { dates: Date[] } | { error: string } {
  try {
    const options = RRule.parseString(rule);
    if (options.freq === undefined) return { error: "The rule needs a FREQ (e.g. FREQ=WEEKLY;BYDAY=MO)." };
    const rrule = new RRule({ ...options, dtstart: start });
    return { dates: rrule.all((_d, i) => i < count) };
  } catch (err) {
    return { error: `Not a valid RRULE: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function describeRule(rule: string): string {
  try {
    return RRule.fromString(rule).toText();
  } catch {
    return rule;
  }
}

export type { Weekday };
