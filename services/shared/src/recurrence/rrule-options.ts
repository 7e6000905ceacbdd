import { RRule, type Options, type Weekday } from "rrule";
import { floatingDate, WEEKDAY_CODES, type Frequency, type ParsedRule, type WeekdayCode } from "./rrule-parse";

const FREQ: Record<Frequency, number> = {
  YEARLY: RRule.YEARLY,
  MONTHLY: RRule.MONTHLY,
  WEEKLY: RRule.WEEKLY,
  DAILY: RRule.DAILY,
  HOURLY: RRule.HOURLY,
};

const RRULE_DAYS: Record<WeekdayCode, Weekday> = {
  MO: RRule.MO, TU: RRule.TU, WE: RRule.WE, TH: RRule.TH, FR: RRule.FR, SA: RRule.SA, SU: RRule.SU,
};

/** Monday = 0 … Sunday = 6 (rrule's numbering) of a floating date. */
export function weekdayOf(d: Date): number {
  return (d.getUTCDay() + 6) % 7;
}

/**
 * rrule `Options` for a parsed rule whose series starts at floating `dtstart`, with every default
 * rrule would take from DTSTART written out (rrule 2.8.1 `parseoptions.js`: BYMONTH+BYMONTHDAY for
 * YEARLY, BYMONTHDAY for MONTHLY, BYDAY for WEEKLY when no other day part is given; BYHOUR/BYMINUTE/
 * BYSECOND from DTSTART below HOURLY/MINUTELY/SECONDLY). Written out, they no longer depend on DTSTART,
 * so DTSTART can move forward to a later period without changing the series. COUNT and UNTIL are left
 * out: the series applies them (COUNT counts occurrences created, UNTIL is compared in the right frame).
 */
export function explicitOptions(rule: ParsedRule, dtstart: Date): Partial<Options> {
  const noDayPart = !rule.byweekno.length && !rule.byyearday.length && !rule.bymonthday.length && !rule.byday.length;
  let bymonth = rule.bymonth;
  let bymonthday = rule.bymonthday;
  let byday: Weekday[] = rule.byday.map((d) => (d.n === null ? RRULE_DAYS[d.weekday] : RRULE_DAYS[d.weekday].nth(d.n)));
  if (noDayPart) {
    if (rule.freq === "YEARLY") {
      if (!bymonth.length) bymonth = [dtstart.getUTCMonth() + 1];
      bymonthday = [dtstart.getUTCDate()];
    } else if (rule.freq === "MONTHLY") {
      bymonthday = [dtstart.getUTCDate()];
    } else if (rule.freq === "WEEKLY") {
      byday = [RRULE_DAYS[WEEKDAY_CODES[weekdayOf(dtstart)]!]];
    }
  }
  const belowHourly = rule.freq !== "HOURLY";
  const opts: Partial<Options> = {
    freq: FREQ[rule.freq],
    interval: rule.interval,
    wkst: rule.wkst === null ? RRule.MO : RRULE_DAYS[rule.wkst],
    byhour: rule.byhour.length ? rule.byhour : belowHourly ? [dtstart.getUTCHours()] : null,
    byminute: rule.byminute.length ? rule.byminute : [dtstart.getUTCMinutes()],
    bysecond: rule.bysecond.length ? rule.bysecond : [dtstart.getUTCSeconds()],
  };
  if (bymonth.length) opts.bymonth = bymonth;
  if (bymonthday.length) opts.bymonthday = bymonthday;
  if (byday.length) opts.byweekday = byday;
  if (rule.byweekno.length) opts.byweekno = rule.byweekno;
  if (rule.byyearday.length) opts.byyearday = rule.byyearday;
  if (rule.bysetpos.length) opts.bysetpos = rule.bysetpos;
  return opts;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function startOfDay(d: Date): Date {
  return floatingDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The first day of the WKST-week containing `d` (the week rrule's WEEKLY periods use). */
export function startOfWeek(d: Date, wkst: number): Date {
  return new Date(startOfDay(d).getTime() - ((weekdayOf(d) - wkst + 7) % 7) * DAY);
}

/**
 * Where to start rrule so it walks only from the period containing `anchor`: DTSTART moved forward by
 * a whole number of INTERVAL periods to the start of that period (DTSTART itself when the anchor is in
 * or before the first period). The defaults must already be explicit (see explicitOptions).
 */
export function rebasedStart(rule: ParsedRule, dtstart: Date, anchor: Date): Date {
  if (anchor <= dtstart) return dtstart;
  const i = rule.interval;
  const whole = (n: number) => Math.floor(n / i) * i;
  let k: number;
  let base: Date;
  let step: (k: number) => Date;
  switch (rule.freq) {
    case "YEARLY":
      k = whole(anchor.getUTCFullYear() - dtstart.getUTCFullYear());
      step = (k) => floatingDate(dtstart.getUTCFullYear() + k, 1, 1);
      break;
    case "MONTHLY": {
      const months = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
      k = whole(months(anchor) - months(dtstart));
      step = (k) => {
        const m = months(dtstart) + k;
        return floatingDate(Math.floor(m / 12), (m % 12) + 1, 1);
      };
      break;
    }
    case "WEEKLY": {
      const wkst = rule.wkst === null ? 0 : WEEKDAY_CODES.indexOf(rule.wkst);
      base = startOfWeek(dtstart, wkst);
      k = whole(Math.round((startOfWeek(anchor, wkst).getTime() - base.getTime()) / (7 * DAY)));
      step = (k) => new Date(base.getTime() + k * 7 * DAY);
      break;
    }
    case "DAILY":
      base = startOfDay(dtstart);
      k = whole(Math.round((startOfDay(anchor).getTime() - base.getTime()) / DAY));
      step = (k) => new Date(base.getTime() + k * DAY);
      break;
    case "HOURLY":
      base = new Date(Math.floor(dtstart.getTime() / HOUR) * HOUR);
      k = whole(Math.floor((anchor.getTime() - base.getTime()) / HOUR));
      step = (k) => new Date(base.getTime() + k * HOUR);
      break;
  }
  return k > 0 ? step(k) : dtstart;
}

/**
 * rrule 2.8.1 walks period after period until year 9999 when a rule matches nothing, calling back
 * only on a match, so a bound cannot come from a callback. Its loop (`dist/esm/iter/index.js`) reads
 * `options.interval` once per period and stops when it is 0: the getter below answers 0 once the
 * budget of periods is spent. Pinned by the never-matching tests and the benchmark.
 */
export function withPeriodBudget(rule: RRule, periods: number): void {
  const interval = rule.options.interval;
  let reads = 0;
  // one read before the loop, then two per period (the stop check and the step to the next period)
  const maxReads = 1 + 2 * periods;
  Object.defineProperty(rule.options, "interval", {
    get: () => (++reads > maxReads ? 0 : interval),
    configurable: true,
  });
}
