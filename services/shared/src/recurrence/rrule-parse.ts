/**
 * Our own strict parser of an RRULE value (RFC 5545 §3.3.10). User text never reaches
 * `RRule.fromString`/`parseString`: rrule's parser is lenient (it drops `WKST=XX`, accepts
 * `BYMONTH=13`, answers `BYDAY=XX` with a TypeError), so every part is checked here against the RFC's
 * ranges and the rrule `Options` are built from the checked result.
 */

export class RecurrenceError extends Error {
  override name = "RecurrenceError";
}

export const FREQUENCIES = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY"] as const;
export type Frequency = (typeof FREQUENCIES)[number];
/** RFC frequencies a todo app refuses: a task (and its reminder) every minute or second is a flood. */
const REFUSED_FREQUENCIES = new Set(["MINUTELY", "SECONDLY"]);

export const WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

export interface ByDay {
  weekday: WeekdayCode;
  /** The ordinal ("-1FR" → -1), only with FREQ=MONTHLY or YEARLY. */
  n: number | null;
}

/** UNTIL as written: a UTC instant (`…Z`), a floating local date-time, or a local date (inclusive). */
export type Until =
  | { kind: "utc"; at: Date }
  | { kind: "local"; at: Date }
  | { kind: "date"; at: Date };

export interface ParsedRule {
  freq: Frequency;
  interval: number;
  count: number | null;
  until: Until | null;
  bymonth: number[];
  byweekno: number[];
  byyearday: number[];
  bymonthday: number[];
  byday: ByDay[];
  byhour: number[];
  byminute: number[];
  bysecond: number[];
  bysetpos: number[];
  wkst: WeekdayCode | null;
}

/** Bounds that keep one rule's cost small whatever it says. */
export const RULE_LIMITS = {
  maxLength: 500,
  maxInterval: 999,
  maxCount: 10_000,
  /** |BYHOUR| × |BYMINUTE| × |BYSECOND|: the candidate times per day rrule builds for every period. */
  maxTimesPerDay: 60,
} as const;

type IntPart = "BYMONTH" | "BYWEEKNO" | "BYYEARDAY" | "BYMONTHDAY" | "BYHOUR" | "BYMINUTE" | "BYSECOND" | "BYSETPOS";

/** [min, max, signed]: signed parts accept -max..-min as well (never 0). */
const RANGES: Record<IntPart, [number, number, boolean]> = {
  BYMONTH: [1, 12, false],
  BYWEEKNO: [1, 53, true],
  BYYEARDAY: [1, 366, true],
  BYMONTHDAY: [1, 31, true],
  BYHOUR: [0, 23, false],
  BYMINUTE: [0, 59, false],
  // RFC 5545 allows 60 for a leap second; neither JavaScript dates nor rrule can represent one.
  BYSECOND: [0, 59, false],
  BYSETPOS: [1, 366, true],
};

const PART_NAMES = [
  "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
  "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
] as const;
type PartName = (typeof PART_NAMES)[number];

function fail(message: string): never {
  throw new RecurrenceError(`recurrence ${message}`);
}

/** A value quoted in a message, bounded so an error never echoes a long input. */
function quote(v: string): string {
  return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
}

function positiveInt(name: string, value: string, max: number): number {
  if (!/^\d{1,6}$/.test(value)) fail(`${name} must be a positive integer (got ${quote(value)})`);
  const n = Number(value);
  if (n < 1 || n > max) fail(`${name} must be between 1 and ${max} (got ${n})`);
  return n;
}

function intList(name: IntPart, value: string): number[] {
  const [min, max, signed] = RANGES[name];
  const items = value.split(",");
  const out = new Set<number>();
  for (const item of items) {
    if (!/^[+-]?\d{1,3}$/.test(item)) fail(`${name} must be a list of integers (got ${quote(item)})`);
    const n = Number(item);
    const ok = (n >= min && n <= max) || (signed && n <= -min && n >= -max && n !== 0);
    if (!ok) fail(`${name} must be ${signed ? `±${min}..${max}` : `${min}..${max}`} (got ${item})`);
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

function weekday(name: string, value: string): WeekdayCode {
  if (!(WEEKDAY_CODES as readonly string[]).includes(value)) fail(`${name} must be one of ${WEEKDAY_CODES.join(", ")} (got ${quote(value)})`);
  return value as WeekdayCode;
}

function byDayList(value: string, freq: Frequency, hasWeekNo: boolean): ByDay[] {
  const out = new Map<string, ByDay>();
  for (const item of value.split(",")) {
    const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
    if (!m) fail(`BYDAY must be a list like MO,-1FR (got ${quote(item)})`);
    const day = weekday("BYDAY", m[2]!);
    let n: number | null = null;
    if (m[1] !== undefined) {
      // RFC 5545 §3.3.10: a numeric BYDAY only with MONTHLY or YEARLY, and not with YEARLY + BYWEEKNO.
      if (freq !== "MONTHLY" && freq !== "YEARLY") fail(`BYDAY ordinals (${item}) need FREQ=MONTHLY or YEARLY`);
      if (hasWeekNo) fail(`BYDAY ordinals (${item}) must not be combined with BYWEEKNO`);
      n = Number(m[1]);
      const max = freq === "MONTHLY" ? 5 : 53;
      if (n === 0 || Math.abs(n) > max) fail(`BYDAY ordinal must be ±1..${max} with FREQ=${freq} (got ${item})`);
    }
    out.set(`${n ?? ""}${day}`, { weekday: day, n });
  }
  return [...out.values()];
}

/** `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ` (RFC 5545 DATE / DATE-TIME), years 1..9999. */
function until(value: string): Until {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) fail(`UNTIL must be a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS[Z]) (got ${quote(value)})`);
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const at = floatingDate(y!, mo!, d!, h, mi, s);
  const valid =
    y! >= 1 && at.getUTCFullYear() === y && at.getUTCMonth() === mo! - 1 && at.getUTCDate() === d && h <= 23 && mi <= 59 && s <= 59;
  if (!valid) fail(`UNTIL is not a valid date (got ${quote(value)})`);
  return { kind: m[4] === undefined ? "date" : m[7] ? "utc" : "local", at };
}

/** A Date whose UTC fields are the given wall clock (years 0..99 included, which Date.UTC maps to 19xx). */
export function floatingDate(y: number, month: number, day: number, h = 0, mi = 0, s = 0): Date {
  const d = new Date(0);
  d.setUTCFullYear(y, month - 1, day);
  d.setUTCHours(h, mi, s, 0);
  return d;
}

/**
 * Parses one RRULE value (`FREQ=WEEKLY;BYDAY=MO`, an `RRULE:` prefix allowed, case-insensitive).
 * DTSTART is refused: a series starts at its first task's due time. Throws RecurrenceError naming the part.
 */
export function parseRule(input: string): ParsedRule {
  if (input.length > RULE_LIMITS.maxLength) fail(`must be at most ${RULE_LIMITS.maxLength} characters`);
  const text = input.trim().replace(/^RRULE:/i, "").toUpperCase();
  if (text.length === 0) fail("must not be empty");
  if (/[\r\n]/.test(text)) fail("must be a single RRULE line");
  if (text.includes("DTSTART")) fail("must not contain DTSTART: the series starts at dueAt (or creation)");
  const parts = new Map<PartName, string>();
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    if (!(PART_NAMES as readonly string[]).includes(name)) fail(`has an unknown part ${quote(name || part)}`);
    if (value === "") fail(`${name} needs a value`);
    if (parts.has(name as PartName)) fail(`repeats ${name}`);
    parts.set(name as PartName, value);
  }
  const freqText = parts.get("FREQ");
  if (freqText === undefined) fail("needs FREQ (e.g. FREQ=WEEKLY;BYDAY=MO)");
  if (REFUSED_FREQUENCIES.has(freqText)) fail(`FREQ=${freqText} is not supported: a task repeats at most hourly`);
  if (!(FREQUENCIES as readonly string[]).includes(freqText)) fail(`FREQ must be one of ${FREQUENCIES.join(", ")} (got ${quote(freqText)})`);
  const freq = freqText as Frequency;
  if (parts.has("COUNT") && parts.has("UNTIL")) fail("must not have both COUNT and UNTIL");

  const list = (name: IntPart) => (parts.has(name) ? intList(name, parts.get(name)!) : []);
  const rule: ParsedRule = {
    freq,
    interval: parts.has("INTERVAL") ? positiveInt("INTERVAL", parts.get("INTERVAL")!, RULE_LIMITS.maxInterval) : 1,
    count: parts.has("COUNT") ? positiveInt("COUNT", parts.get("COUNT")!, RULE_LIMITS.maxCount) : null,
    until: parts.has("UNTIL") ? until(parts.get("UNTIL")!) : null,
    bymonth: list("BYMONTH"),
    byweekno: list("BYWEEKNO"),
    byyearday: list("BYYEARDAY"),
    bymonthday: list("BYMONTHDAY"),
    byday: parts.has("BYDAY") ? byDayList(parts.get("BYDAY")!, freq, parts.has("BYWEEKNO")) : [],
    byhour: list("BYHOUR"),
    byminute: list("BYMINUTE"),
    bysecond: list("BYSECOND"),
    bysetpos: list("BYSETPOS"),
    wkst: parts.has("WKST") ? weekday("WKST", parts.get("WKST")!) : null,
  };

  // The RFC's table of which BYxxx parts each FREQ may use (§3.3.10, "BYxxx rule parts").
  if (rule.byweekno.length && freq !== "YEARLY") fail("BYWEEKNO needs FREQ=YEARLY");
  if (rule.byyearday.length && (freq === "DAILY" || freq === "WEEKLY" || freq === "MONTHLY")) fail(`BYYEARDAY must not be used with FREQ=${freq}`);
  if (rule.bymonthday.length && freq === "WEEKLY") fail("BYMONTHDAY must not be used with FREQ=WEEKLY");
  if (rule.bysetpos.length && !hasOtherBy(rule)) fail("BYSETPOS needs another BYxxx part");
  const times = Math.max(rule.byhour.length, 1) * Math.max(rule.byminute.length, 1) * Math.max(rule.bysecond.length, 1);
  if (times > RULE_LIMITS.maxTimesPerDay) fail(`BYHOUR × BYMINUTE × BYSECOND may give at most ${RULE_LIMITS.maxTimesPerDay} times a day (got ${times})`);
  return rule;
}

function hasOtherBy(r: ParsedRule): boolean {
  return [r.bymonth, r.byweekno, r.byyearday, r.bymonthday, r.byday, r.byhour, r.byminute, r.bysecond].some((l) => l.length > 0);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function untilText(u: Until): string {
  const d = u.at;
  const date = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
  if (u.kind === "date") return date;
  return `${date}T${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}${u.kind === "utc" ? "Z" : ""}`;
}

/** The canonical text of a parsed rule: upper case, FREQ, INTERVAL, the BYxxx parts in RFC order, WKST, then COUNT/UNTIL; sorted de-duplicated values. */
export function formatRule(r: ParsedRule): string {
  const parts = [`FREQ=${r.freq}`];
  if (r.interval !== 1) parts.push(`INTERVAL=${r.interval}`);
  const add = (name: string, values: (number | string)[]) => {
    if (values.length) parts.push(`${name}=${values.join(",")}`);
  };
  add("BYMONTH", r.bymonth);
  add("BYWEEKNO", r.byweekno);
  add("BYYEARDAY", r.byyearday);
  add("BYMONTHDAY", r.bymonthday);
  add("BYDAY", r.byday.map((d) => `${d.n ?? ""}${d.weekday}`));
  add("BYHOUR", r.byhour);
  add("BYMINUTE", r.byminute);
  add("BYSECOND", r.bysecond);
  add("BYSETPOS", r.bysetpos);
  if (r.wkst !== null) parts.push(`WKST=${r.wkst}`);
  if (r.count !== null) parts.push(`COUNT=${r.count}`);
  if (r.until !== null) parts.push(`UNTIL=${untilText(r.until)}`);
  return parts.join(";");
}
