import { RRule, type Options } from "rrule";

export class RecurrenceError extends Error {
  override name = "RecurrenceError";
}

// The RRULE parts RFC 5545 defines. rrule's parser alone is lenient (it accepts "FREQ=FOO" as an empty
// rule and "COUNT=x" as a string), so the checks below close those gaps.
const KNOWN_PARTS = new Set([
  "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
  "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
]);

/**
 * Validates an RFC 5545 RRULE (`FREQ=WEEKLY;BYDAY=MO,WE`, an `RRULE:` prefix allowed) with the rrule
 * library and returns it in canonical form. DTSTART is refused: the series starts at the task's dueAt
 * (or its creation), which the backend owns.
 */
export function parseRecurrence(input: string): string {
  const text = input.trim().replace(/^RRULE:/i, "");
  if (text.length === 0) throw new RecurrenceError("recurrence must not be empty");
  if (/[\r\n]/.test(text)) throw new RecurrenceError("recurrence must be a single RRULE line");
  if (/DTSTART/i.test(text)) throw new RecurrenceError("recurrence must not contain DTSTART: the series starts at dueAt (or creation)");
  const seen = new Set<string>();
  for (const part of text.split(";")) {
    const [key, value] = part.split("=", 2);
    const name = (key ?? "").toUpperCase();
    if (!KNOWN_PARTS.has(name) || !value) throw new RecurrenceError(`recurrence has an invalid part '${part}'`);
    if (seen.has(name)) throw new RecurrenceError(`recurrence repeats ${name}`);
    seen.add(name);
  }
  if (!seen.has("FREQ")) throw new RecurrenceError("recurrence needs FREQ");
  if (seen.has("COUNT") && seen.has("UNTIL")) throw new RecurrenceError("recurrence must not have both COUNT and UNTIL");

  let options: Partial<Options>;
  try {
    options = RRule.parseString(text.toUpperCase());
  } catch (err) {
    throw new RecurrenceError(`recurrence is not a valid RRULE: ${(err as Error).message}`);
  }
  if (options.freq === undefined || options.freq === null) throw new RecurrenceError("recurrence has an unknown FREQ");
  for (const key of ["count", "interval"] as const) {
    const v = options[key];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && v >= 1)) {
      throw new RecurrenceError(`recurrence ${key.toUpperCase()} must be a positive integer`);
    }
  }
  for (const [key, v] of Object.entries(options)) {
    const values = Array.isArray(v) ? v : [v];
    if (values.some((x) => x === null || (typeof x === "number" && !Number.isInteger(x)) || (typeof x === "string" && key !== "tzid"))) {
      throw new RecurrenceError(`recurrence has an invalid ${key.toUpperCase()}`);
    }
  }
  if (options.until instanceof Date && Number.isNaN(options.until.getTime())) throw new RecurrenceError("recurrence has an invalid UNTIL");
  try {
    // Expanding once proves the rule is one the library can actually evaluate.
    new RRule({ ...options, dtstart: new Date(Date.UTC(2000, 0, 1)) }).all((_, i) => i < 1);
  } catch (err) {
    throw new RecurrenceError(`recurrence is not a valid RRULE: ${(err as Error).message}`);
  }
  return RRule.optionsToString(options).replace(/^RRULE:/, "");
}
