import { RecurrenceError } from "./rrule-parse";

/**
 * Floating local wall-clock time ↔ instant in an IANA zone, with the runtime's own zone data (Intl /
 * ICU) — no offset tables. A "floating" Date is one whose UTC fields are the local wall clock: rrule
 * evaluates rules on those ("UTC-floating"), so BYDAY, BYMONTHDAY, BYHOUR are the zone's.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A zone stored when the runtime knew it may be unknown to a later one (a database restored next to
 * an older ICU, a name a tzdata release dropped): a RecurrenceError like a stored rule the parser now
 * refuses, so each caller's policy for those applies (the completion ends the series, skip is a 409,
 * the event is dropped) instead of a RangeError becoming a 500 or a retried event.
 */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = newFormatter(timeZone);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw new RecurrenceError(`time zone ${JSON.stringify(timeZone.slice(0, 64))} is not known to this server`);
    }
    // bounded: the zones a runtime knows are a few hundred
    if (formatters.size < 1000) formatters.set(timeZone, f);
  }
  return f;
}

function newFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
}

/**
 * An IANA zone name the runtime knows, spelled as IANA does (`europe/berlin` → `Europe/Berlin`), or
 * null if unknown. The name the user gave is kept when the runtime resolves it to another one: ICU
 * (CLDR) still reports some renamed zones by their old names — Node 20 resolves `Asia/Kolkata` to
 * `Asia/Calcutta`, `Europe/Kyiv` to `Europe/Kiev`, `Asia/Kathmandu` to `Asia/Katmandu` — which tzdata
 * keeps only as backward links (eggert/tz `backward`, 2026c: `Link Asia/Kolkata Asia/Calcutta`), and
 * newer runtimes no longer rename at all (TC39 time zone canonicalization). Same zone, same rules;
 * the user's name is the one to show.
 */
export function canonicalTimeZone(name: string): string | null {
  // Zone names only: offsets like "+01:00" or "GMT+1" are not zones with rules, and a series needs rules.
  if (name.length > 64 || !/^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2})$/.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return null;
  }
}

/** The wall clock in `timeZone` at `instant`, as a floating Date (milliseconds dropped). */
export function toFloating(instant: Date, timeZone: string): Date {
  const fields: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) fields[p.type] = p.value;
  const year = fields.era === "BC" || fields.era === "B" ? 1 - Number(fields.year) : Number(fields.year);
  const d = new Date(0);
  d.setUTCFullYear(year, Number(fields.month) - 1, Number(fields.day));
  d.setUTCHours(Number(fields.hour), Number(fields.minute), Number(fields.second), 0);
  return d;
}

/** The zone's offset from UTC at `instantMs`, in ms (whole seconds). */
function offsetAt(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return toFloating(new Date(whole), timeZone).getTime() - whole;
}

const DAY = 86_400_000;

/**
 * The instant of a floating local time in `timeZone`, by RFC 5545 §3.3.5: a local time that does not
 * exist (inside a spring-forward gap) is read with the offset before the gap (02:30 → 03:30), a local
 * time that occurs twice (fall back) means its first occurrence.
 */
export function fromFloating(local: Date, timeZone: string): Date {
  const wall = local.getTime();
  // A day either side sees the offsets before and after any transition near this wall time.
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const candidates = [...new Set([wall - before, wall - after])].filter((t) => t + offsetAt(t, timeZone) === wall);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(wall - before);
}
