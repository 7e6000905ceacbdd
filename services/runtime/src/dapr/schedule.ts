import { Cron } from "croner";

/**
 * Time expressions the way Dapr reads them: Go durations ("30s", "1h30m", "500ms"), RFC 3339 points in
 * time, `@every <duration>` and cron expressions (5 fields, or 6 with seconds first, plus `@hourly`…).
 * Cron parsing is croner's; only Go durations, which no cron library knows, are parsed here.
 */

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/** Milliseconds of a Go duration string, or undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, value, unit] of text.matchAll(DURATION_PART)) ms += Number(value) * UNIT_MS[unit!]!;
  return ms;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A job's `dueTime`: an RFC 3339 instant, or a Go duration counted from `now`. */
export function parseDueTime(text: string, now: number): number | undefined {
  if (RFC3339.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : at;
  }
  const ms = parseGoDuration(text);
  return ms === undefined ? undefined : now + ms;
}

/** A repeating schedule: the next firing strictly after `after`. */
export interface Schedule {
  next(after: number): number | undefined;
}

/** `@every 30s`, or a cron expression; throws with the reason when the text is neither. */
export function parseSchedule(text: string): Schedule {
  const every = /^@every\s+(\S+)$/.exec(text.trim());
  if (every) {
    const ms = parseGoDuration(every[1]!);
    if (!ms || ms <= 0) throw new Error(`invalid duration in schedule "${text}"`);
    return { next: (after) => after + ms };
  }
  const cron = new Cron(text.trim(), { paused: true });
  return { next: (after) => cron.nextRun(new Date(after))?.getTime() };
}
