import { RRule } from "rrule";
import { explicitOptions, rebasedStart } from "./rrule-options";
import { formatRule, parseRule, RecurrenceError, type Frequency, type ParsedRule } from "./rrule-parse";
import { fromFloating, toFloating } from "./zoned-time";

/**
 * How many periods of its FREQ one search may walk. A rule that matches nothing in that many periods
 * "never produces an occurrence": at create/PATCH it is a 400, at completion the series ends. Chosen so
 * the worst case (a never-matching rule; `scripts/bench/recurrence.ts` measures it) stays a few ms on a
 * quiet machine — an attacker's loop of such rules must not delay other users — while the calendar
 * patterns people mean still fit: a leap day recurs within 8 years (2096 → 2104), which YEARLY and
 * MONTHLY cover, and DAILY covers from any start outside a century gap (1,500 days ≈ 4.1 years).
 */
export const HORIZON_PERIODS: Record<Frequency, number> = {
  YEARLY: 200,
  MONTHLY: 600,
  WEEKLY: 300,
  DAILY: 1_500,
  HOURLY: 1_000,
};
const UNIT: Record<Frequency, string> = { YEARLY: "year", MONTHLY: "month", WEEKLY: "week", DAILY: "day", HOURLY: "hour" };
/**
 * Candidates of a negative BYSETPOS that rrule gets wrong (see inSetPosition) one search may reject:
 * a period's set size varies only with the calendar (month lengths, leap years), so a rule that means
 * something is right again within a few periods; 24 wrong in a row is a rule that never is.
 */
const MAX_SETPOS_REJECTIONS = 24;
/** Candidates one search may look at (a period holds at most 366 days × 60 times). */
const MAX_CANDIDATES = 100_000;

/** The horizon in words, for messages: "3000 days", "400 × 2 years". */
export function horizonText(rule: ParsedRule): string {
  const n = HORIZON_PERIODS[rule.freq];
  return `${rule.interval === 1 ? n : `${n} × ${rule.interval}`} ${UNIT[rule.freq]}s`;
}

export type SearchResult = { slot: Date } | { ended: "until" | "horizon" };

/**
 * rrule 2.8.1 walks period after period until year 9999 when a rule matches nothing, calling back
 * only on a match, so a bound cannot come from a callback. Its loop (`dist/esm/iter/index.js`) reads
 * `options.interval` once per period and stops when it is 0: the getter below answers 0 once the
 * budget of periods is spent. Pinned by the never-matching tests and the benchmark.
 */
function withPeriodBudget(rule: RRule, periods: number): void {
  const interval = rule.options.interval;
  let reads = 0;
  // one read before the loop, then two per period (the stop check and the step to the next period)
  const maxReads = 1 + 2 * periods;
  Object.defineProperty(rule.options, "interval", {
    get: () => (++reads > maxReads ? 0 : interval),
    configurable: true,
  });
}

/** 400 Gregorian years: weekdays, leap years and week numbers repeat exactly after 146,097 days. */
const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;

/**
 * rrule builds dates with `Date.UTC`, which reads years 0..99 as 1900..1999; a series starting in
 * such a year is evaluated 400 years later (the same calendar) and shifted back.
 */
function cycleShift(begin: Date): number {
  return begin.getUTCFullYear() < 100 ? GREGORIAN_CYCLE_MS : 0;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The never-matching rules people actually write — a BYMONTHDAY no BYMONTH has (30 February,
 * 31 April) — answered without walking any period.
 */
function impossibleMonthDays(rule: ParsedRule): boolean {
  if (!rule.bymonth.length || !rule.bymonthday.length) return false;
  return !rule.bymonth.some((m) => rule.bymonthday.some((d) => Math.abs(d) <= MONTH_DAYS[m - 1]!));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * rrule's HOURLY step (`DateTime.addHours`) loops until it reaches an hour in BYHOUR; from a start hour
 * h it only ever reaches hours ≡ h (mod gcd(INTERVAL, 24)), so a BYHOUR outside that class would loop
 * forever (reported upstream: jkbrzt/rrule issue #468, fix proposed in PR #622, unmerged). Such a rule
 * never produces an occurrence.
 */
function hourlyReachable(rule: ParsedRule, dtstart: Date): boolean {
  if (rule.freq !== "HOURLY" || rule.byhour.length === 0) return true;
  const g = gcd(rule.interval, 24);
  return rule.byhour.some((h) => (((h - dtstart.getUTCHours()) % g) + g) % g === 0);
}

function beyondUntil(rule: ParsedRule, local: Date, instant: Date): boolean {
  const u = rule.until;
  if (!u) return false;
  if (u.kind === "utc") return instant > u.at;
  if (u.kind === "local") return local > u.at;
  return local.getTime() >= u.at.getTime() + 86_400_000; // a DATE is inclusive of that local day
}

/** Local offsets differ from one another by less than this (a DST shift is 1 h, 0.5 h on Lord Howe). */
const OFFSET_SLACK = 3 * 3_600_000;

/**
 * The first slot of a series strictly after instant `after`. The series: `rule` evaluated in floating
 * local time of `timeZone` from DTSTART = the wall clock of `start` there; each slot converted to an
 * instant by RFC 5545 §3.3.5. Bounded for any input: rrule starts at the period containing `after`,
 * never at a far-past DTSTART, and walks at most HORIZON_PERIODS periods. UNTIL is applied here; COUNT
 * is the caller's (it counts occurrences created, not slots).
 */
export function firstSlotAfter(rule: ParsedRule, timeZone: string, start: Date, after: Date): SearchResult {
  const dtstart = toFloating(start, timeZone);
  if (!hourlyReachable(rule, dtstart) || impossibleMonthDays(rule)) return { ended: "horizon" };
  const afterLocal = toFloating(after, timeZone);
  const from = new Date(afterLocal.getTime() - OFFSET_SLACK);
  const begin = rebasedStart(rule, dtstart, from);
  const shift = cycleShift(begin);
  const rr = new RRule({ ...explicitOptions(rule, dtstart), dtstart: new Date(begin.getTime() + shift) });
  withPeriodBudget(rr, HORIZON_PERIODS[rule.freq]);
  let result: SearchResult | null = null;
  let seen = 0;
  let rejected = 0;
  rr.all((shifted) => {
    const local = new Date(shifted.getTime() - shift);
    if (++seen > MAX_CANDIDATES) return false;
    if (local < from) return true;
    const instant = fromFloating(local, timeZone);
    if (beyondUntil(rule, local, instant)) {
      result = { ended: "until" };
      return false;
    }
    if (instant <= after) return true;
    if (!inSetPosition(rule, dtstart, local)) return ++rejected < MAX_SETPOS_REJECTIONS;
    result = { slot: instant };
    return false;
  });
  // neither found nor past UNTIL: the budget ran out, the candidate cap hit, or rrule reached year 9999
  return result ?? { ended: "horizon" };
}

/**
 * rrule 2.8.1 (`dist/esm/iter/poslist.js`) picks a negative BYSETPOS with `tmp.slice(daypos)[0]`,
 * which yields the period's first candidate when |BYSETPOS| exceeds the set (RFC 5545 and python
 * dateutil: no occurrence; reported upstream as jkbrzt/rrule PR #668, open). A candidate of a rule
 * with a negative BYSETPOS is therefore checked against
 * the period's own set: the same rule without BYSETPOS over that one period.
 */
function inSetPosition(rule: ParsedRule, dtstart: Date, local: Date): boolean {
  if (!rule.bysetpos.some((p) => p < 0)) return true;
  const single = { ...rule, interval: 1, bysetpos: [] };
  const periodStart = rebasedStart(single, dtstart, local);
  const shift = cycleShift(periodStart);
  const rr = new RRule({ ...explicitOptions(single, dtstart), dtstart: new Date(periodStart.getTime() + shift) });
  withPeriodBudget(rr, 1);
  const set = rr
    .all()
    .map((d) => new Date(d.getTime() - shift))
    .filter((d) => samePeriod(single, periodStart, d));
  const at = set.findIndex((d) => d.getTime() === local.getTime());
  return at >= 0 && rule.bysetpos.some((p) => (p > 0 ? p - 1 : set.length + p) === at);
}

function samePeriod(single: ParsedRule, periodStart: Date, d: Date): boolean {
  return rebasedStart(single, periodStart, d).getTime() === periodStart.getTime();
}

/** A checked rule in its canonical text, or a RecurrenceError naming the part. */
export function canonicalRule(text: string): string {
  return formatRule(parseRule(text));
}

/**
 * Checks at create/PATCH that a rule produces an occurrence after its series' start within the
 * horizon, and returns the canonical rule. Throws RecurrenceError with the reason otherwise.
 */
export function checkSeriesRule(text: string, timeZone: string, start: Date): string {
  const rule = parseRule(text);
  const first = firstSlotAfter(rule, timeZone, start, start);
  if ("ended" in first) {
    if (first.ended === "until") throw new RecurrenceError("recurrence UNTIL is before its first occurrence after dueAt");
    throw new RecurrenceError(`recurrence never produces an occurrence within ${horizonText(rule)} of dueAt`);
  }
  return formatRule(rule);
}

/**
 * The next `count` slots after `start` (the start's own time excluded), for previews: what the
 * series will create, so COUNT applies — the start is its first occurrence, as on the server.
 */
export function upcomingSlots(text: string, timeZone: string, start: Date, count: number): Date[] {
  const rule = parseRule(text);
  const out: Date[] = [];
  let after = start;
  const wanted = rule.count === null ? count : Math.min(count, rule.count - 1);
  for (let i = 0; i < wanted; i++) {
    const r = firstSlotAfter(rule, timeZone, start, after);
    if ("ended" in r) break;
    out.push(r.slot);
    after = r.slot;
  }
  return out;
}
