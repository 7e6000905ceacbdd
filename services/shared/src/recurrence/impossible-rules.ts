import { RRule, type Options } from "rrule";
import { explicitOptions, weekdayOf, withPeriodBudget } from "./rrule-options";
import { floatingDate, WEEKDAY_CODES, type ParsedRule } from "./rrule-parse";

/**
 * Rules that can never produce an occurrence, told without walking the horizon. A search for such a
 * rule would walk every period of the horizon (tens of ms on the event loop per request), so each
 * class is answered here from the rule's parts alone, in well under a millisecond:
 * - no day of any calendar year passes the rule's day parts (30 February, day 1 of April, ISO week 1
 *   in June, BYYEARDAY vs BYMONTHDAY, ordinals that do not exist);
 * - INTERVAL only ever visits weekdays, months or hours the rule's parts exclude;
 * - every BYSETPOS lies beyond the largest set a period of this rule can hold.
 * Rules that match rarely (29 February on a Monday) are not decided here: the bounded walk finds them.
 */
export function neverMatches(rule: ParsedRule, dtstart: Date): boolean {
  return !intervalReaches(rule, dtstart) || setPositionsBeyondReach(rule) || !someYearHasADay(rule);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const HOURS_PER_WEEK = 168;

/**
 * The weekdays, months or hours INTERVAL can visit from DTSTART. rrule's HOURLY step loops forever when
 * BYHOUR holds no hour it can reach (jkbrzt/rrule issue #468, fix proposed in PR #622, unmerged), so
 * for HOURLY this check is also what keeps rrule from hanging.
 */
function intervalReaches(rule: ParsedRule, dtstart: Date): boolean {
  const k = rule.interval;
  const days = new Set(rule.byday.filter((d) => d.n === null).map((d) => WEEKDAY_CODES.indexOf(d.weekday)));
  const dayOk = (w: number) => days.size === 0 || days.has(w);
  switch (rule.freq) {
    case "HOURLY": {
      // hour of the week (Monday 00:00 = 0) of DTSTART, then every k hours; the pattern repeats after 168 steps
      const start = weekdayOf(dtstart) * 24 + dtstart.getUTCHours();
      for (let j = 0; j < HOURS_PER_WEEK; j++) {
        const h = (start + j * k) % HOURS_PER_WEEK;
        if (dayOk(Math.floor(h / 24)) && (rule.byhour.length === 0 || rule.byhour.includes(h % 24))) return true;
      }
      return false;
    }
    case "DAILY": {
      const g = gcd(k, 7);
      return [0, 1, 2, 3, 4, 5, 6].some((w) => (w - weekdayOf(dtstart) + 7) % g === 0 && dayOk(w));
    }
    case "MONTHLY": {
      if (rule.bymonth.length === 0) return true;
      const g = gcd(k, 12);
      return rule.bymonth.some((m) => (m - 1 - dtstart.getUTCMonth() + 12) % g === 0);
    }
    default:
      return true;
  }
}

/** An upper bound of the days one period of the rule can hold (rrule's defaults from DTSTART included). */
function maxDaysPerPeriod(rule: ParsedRule): number {
  const months = rule.bymonth.length || 12;
  const noDayPart = !rule.byweekno.length && !rule.byyearday.length && !rule.bymonthday.length && !rule.byday.length;
  switch (rule.freq) {
    case "DAILY":
    case "HOURLY":
      return 1;
    case "WEEKLY":
      return noDayPart ? 1 : Math.min(7, rule.byday.length || 7);
    case "MONTHLY": {
      if (noDayPart) return 1;
      let bound = 31;
      if (rule.bymonthday.length) bound = Math.min(bound, rule.bymonthday.length);
      if (rule.byday.length) bound = Math.min(bound, weekdayDays(rule, 5, 1));
      return bound;
    }
    case "YEARLY": {
      if (noDayPart) return rule.bymonth.length || 1;
      let bound = rule.bymonth.length ? 31 * rule.bymonth.length : 366;
      if (rule.bymonthday.length) bound = Math.min(bound, rule.bymonthday.length * months);
      if (rule.byyearday.length) bound = Math.min(bound, rule.byyearday.length);
      if (rule.byweekno.length) bound = Math.min(bound, 7 * rule.byweekno.length);
      // a plain weekday is ≤ 53 days a year (≤ 5 a month with BYMONTH), an ordinal one a year (one a month)
      if (rule.byday.length) bound = Math.min(bound, rule.bymonth.length ? weekdayDays(rule, 5, 1) * rule.bymonth.length : weekdayDays(rule, 53, 1));

      return bound;
    }
  }
}

/**
 * Days BYDAY can pick in one month or year: `plain` per plain weekday, `ordinal` per ordinal whose
 * weekday is not also given plain (3SU adds no day to SU).
 */
function weekdayDays(rule: ParsedRule, plain: number, ordinal: number): number {
  const plainDays = new Set(rule.byday.filter((d) => d.n === null).map((d) => d.weekday));
  const ordinals = rule.byday.filter((d) => d.n !== null && !plainDays.has(d.weekday)).length;
  return plainDays.size * plain + ordinals * ordinal;
}

/** Every |BYSETPOS| exceeds the largest set (days × times) a period of the rule can hold. */
function setPositionsBeyondReach(rule: ParsedRule): boolean {
  if (rule.bysetpos.length === 0) return false;
  const hours = rule.freq === "HOURLY" ? 1 : rule.byhour.length || 1;
  const max = maxDaysPerPeriod(rule) * hours * (rule.byminute.length || 1) * (rule.bysecond.length || 1);
  return rule.bysetpos.every((p) => Math.abs(p) > max);
}

/**
 * Probe years: which days of a year pass the day parts (BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY,
 * BYDAY) depends only on whether the year and the one before it are leap years and on the weekday of
 * 1 January; 28 consecutive years of one century hold every such combination.
 */
const PROBE_FIRST_YEAR = 2001;
const PROBE_YEARS = 28;

/**
 * Does any day of any year pass the rule's day parts? Probed with rrule itself (YEARLY, one time a day,
 * no BYSETPOS — BYSETPOS only picks from a non-empty set), so the filters are exactly the ones the walk
 * applies. A MONTHLY rule's BYDAY ordinals count within each month: the probe gives BYMONTH so that
 * rrule counts them per month too.
 */
function someYearHasADay(rule: ParsedRule): boolean {
  const hasDayPart = rule.bymonth.length || rule.byweekno.length || rule.byyearday.length || rule.bymonthday.length || rule.byday.length;
  if (!hasDayPart) return true;
  const dtstart = floatingDate(PROBE_FIRST_YEAR, 1, 1);
  const days = explicitOptions({ ...rule, freq: "YEARLY", interval: 1, bysetpos: [], byhour: [], byminute: [], bysecond: [] }, dtstart);
  const monthlyOrdinals = rule.freq === "MONTHLY" && rule.byday.some((d) => d.n !== null) && !rule.bymonth.length;
  const opts: Partial<Options> = { ...days, byhour: [0], byminute: [0], bysecond: [0], dtstart };
  if (monthlyOrdinals) opts.bymonth = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const rr = new RRule(opts);
  withPeriodBudget(rr, PROBE_YEARS);
  let found = false;
  rr.all(() => {
    found = true;
    return false;
  });
  return found;
}
