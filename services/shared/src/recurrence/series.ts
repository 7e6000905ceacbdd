import { RRule } from "rrule";
import { neverMatches } from "./impossible-rules";
import { explicitOptions, rebasedStart, startOfWeek, withPeriodBudget } from "./rrule-options";
import { floatingDate, formatRule, parseRule, WEEKDAY_CODES, RecurrenceError, type Frequency, type ParsedRule } from "./rrule-parse";
import { fromFloating, toFloating } from "./zoned-time";

/**
 * How many periods of its FREQ one search may walk. A rule that matches nothing in that many periods
 * "never produces an occurrence": at create/PATCH it is a 400, at completion the series ends. Rules
 * that can never match are told apart before any walk (impossible-rules.ts); this bound is for the
 * rest — rare matches and INTERVALs that skip them — and is chosen so the walk stays a few ms of CPU
 * (`scripts/bench/recurrence.ts` measures it): a burst of such rules must not delay other users. The
 * calendar patterns people mean still fit: 29 February on a given weekday recurs within 40 years
 * (2072 → 2112), which YEARLY and MONTHLY cover; DAILY covers a leap day from any start outside a
 * century gap (1,500 days ≈ 4.1 years); an HOURLY period whose day is filtered out spans that whole
 * day (rrule 2.8.1 `DateTime.addHours` jumps to the next day), so 300 periods reach ~10 months of
 * filtered days.
 */
export const HORIZON_PERIODS: Record<Frequency, number> = {
  YEARLY: 100,
  MONTHLY: 480,
  WEEKLY: 300,
  DAILY: 1_500,
  HOURLY: 300,
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

/** Days in one period of each FREQ (the longest: 366-day years, 31-day months). */
const PERIOD_DAYS: Record<Frequency, number> = { YEARLY: 366, MONTHLY: 31, WEEKLY: 7, DAILY: 1, HOURLY: 1 / 24 };
/**
 * No search looks further than one Gregorian cycle (400 years): after it every calendar pattern
 * repeats. With a large INTERVAL this, not HORIZON_PERIODS, bounds the walk (FREQ=DAILY;INTERVAL=999
 * walked 1,500 periods ≈ 4,100 years, about 12 ms, for a rule that never matched).
 */
const HORIZON_SPAN_DAYS = 146_097;

/** The periods one search of this rule may walk: HORIZON_PERIODS, within one Gregorian cycle. */
export function horizonPeriods(rule: ParsedRule): number {
  const inCycle = Math.floor(HORIZON_SPAN_DAYS / (rule.interval * PERIOD_DAYS[rule.freq]));
  return Math.max(1, Math.min(HORIZON_PERIODS[rule.freq], inCycle));
}

/** The horizon in words, for messages: "3000 days", "400 × 2 years". */
export function horizonText(rule: ParsedRule): string {
  const n = horizonPeriods(rule);
  return `${rule.interval === 1 ? n : `${n} × ${rule.interval}`} ${UNIT[rule.freq]}s`;
}

export type SearchResult = { slot: Date } | { ended: "until" | "horizon" };

/** 400 Gregorian years: weekdays, leap years and week numbers repeat exactly after 146,097 days. */
const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;

/**
 * rrule builds dates with `Date.UTC`, which reads years 0..99 as 1900..1999; a series starting in
 * such a year is evaluated 400 years later (the same calendar) and shifted back.
 */
function cycleShift(begin: Date): number {
  return begin.getUTCFullYear() < 100 ? GREGORIAN_CYCLE_MS : 0;
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
  if (neverMatches(rule, dtstart)) return { ended: "horizon" };
  const afterLocal = toFloating(after, timeZone);
  const from = new Date(afterLocal.getTime() - OFFSET_SLACK);
  const plan = walkPlan(rule, from);
  const begin = rebasedStart(plan.walk, dtstart, from);
  const shift = cycleShift(begin);
  const rr = new RRule({ ...explicitOptions(plan.walk, dtstart), dtstart: new Date(begin.getTime() + shift) });
  withPeriodBudget(rr, plan.periods);
  let result: SearchResult | null = null;
  let seen = 0;
  let rejected = 0;
  rr.all((shifted) => {
    const local = new Date(shifted.getTime() - shift);
    if (++seen > MAX_CANDIDATES || local >= plan.limit) return false;
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

/** The rule rrule walks, how many of its periods, and the local time where the horizon ends. */
interface WalkPlan {
  walk: ParsedRule;
  periods: number;
  limit: Date;
}

const NO_LIMIT = new Date(8.64e15);

/**
 * A DAILY rule (INTERVAL=1, no BYSETPOS) that filters days by BYMONTHDAY or BYDAY has exactly the
 * slots of the same rule with FREQ=MONTHLY: rrule applies one day filter to every period's days
 * (`isFiltered` in rrule 2.8.1 `dist/esm/iter/index.js`), and with such a day part no default is taken
 * from DTSTART for either FREQ. Walked by month it costs one rrule period per month instead of one per
 * day (a period costs a few µs either way: 1,500 days of "29 February on a Monday" went from ~5 ms
 * of CPU to well under 1 ms). The DAILY horizon is kept as a limit on the local time.
 */
function walkPlan(rule: ParsedRule, from: Date): WalkPlan {
  const filteredDaily = rule.freq === "DAILY" && rule.interval === 1 && !rule.bysetpos.length && (rule.bymonthday.length > 0 || rule.byday.length > 0);
  if (!filteredDaily) return { walk: rule, periods: horizonPeriods(rule), limit: NO_LIMIT };
  const days = horizonPeriods(rule);
  return {
    walk: { ...rule, freq: "MONTHLY" },
    periods: Math.ceil(days / 28) + 1,
    limit: new Date(startOfLocalDay(from).getTime() + days * 86_400_000),
  };
}

/**
 * rrule 2.8.1 (`dist/esm/iter/poslist.js`) picks a negative BYSETPOS with `tmp.slice(daypos)[0]`,
 * which yields the period's first candidate when |BYSETPOS| exceeds the set (RFC 5545 and python
 * dateutil: no occurrence; reported upstream as jkbrzt/rrule PR #668, open). A candidate of a rule
 * with a negative BYSETPOS is therefore checked against its period's set. That set is every passing
 * day of the period × the same times each day (an HOURLY period is one hour: its times only), so
 * only the days are listed — one time a day — and positions are counted, never the day × time set
 * itself (60 times a day made that 60 times dearer).
 */
function inSetPosition(rule: ParsedRule, dtstart: Date, local: Date): boolean {
  if (!rule.bysetpos.some((p) => p < 0)) return true;
  const single = { ...rule, interval: 1, bysetpos: [] };
  const times = explicitOptions(single, dtstart);
  const hours = rule.freq === "HOURLY" ? [local.getUTCHours()] : (times.byhour as number[]);
  const minutes = times.byminute as number[];
  const seconds = times.bysecond as number[];
  const perDay = hours.length * minutes.length * seconds.length;
  const timeAt =
    (hours.indexOf(local.getUTCHours()) * minutes.length + minutes.indexOf(local.getUTCMinutes())) * seconds.length +
    seconds.indexOf(local.getUTCSeconds());
  let days = [startOfLocalDay(local)];
  if (rule.freq !== "HOURLY" && rule.freq !== "DAILY") {
    // the period's calendar start, not DTSTART: days of the first period before DTSTART count in its set
    // (rrule builds the poslist over the whole period, then drops what precedes DTSTART)
    const periodStart = periodStartOf(rule, local);
    const shift = cycleShift(periodStart);
    const rr = new RRule({ ...times, byhour: [0], byminute: [0], bysecond: [0], dtstart: new Date(periodStart.getTime() + shift) });
    withPeriodBudget(rr, 1);
    days = rr
      .all()
      .map((d) => new Date(d.getTime() - shift))
      .filter((d) => samePeriod(single, periodStart, d));
  }
  const day = days.findIndex((d) => d.getTime() === startOfLocalDay(local).getTime());
  if (day < 0 || timeAt < 0) return false;
  const at = day * perDay + timeAt;
  const size = days.length * perDay;
  return rule.bysetpos.some((p) => (p > 0 ? p - 1 : size + p) === at);
}

/** The first day of the YEARLY, MONTHLY or WEEKLY period that holds floating `local`. */
function periodStartOf(rule: ParsedRule, local: Date): Date {
  if (rule.freq === "YEARLY") return floatingDate(local.getUTCFullYear(), 1, 1);
  if (rule.freq === "MONTHLY") return floatingDate(local.getUTCFullYear(), local.getUTCMonth() + 1, 1);
  return startOfWeek(local, rule.wkst === null ? 0 : WEEKDAY_CODES.indexOf(rule.wkst));
}

function startOfLocalDay(d: Date): Date {
  return floatingDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
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
