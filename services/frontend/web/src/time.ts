import { canonicalTimeZone, fromFloating, toFloating } from "../../../shared/src/recurrence";

/** The browser's own zone (what `datetime-local` inputs mean unless a task's zone is given). */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * `<input type="datetime-local">` holds a wall-clock time without an offset; the API wants an instant.
 * The wall clock is read in `timeZone` — a task's own zone, so "09:00" typed for a series repeating in
 * Asia/Kolkata is 09:00 there whatever the browser's zone — or in the browser's zone without one. A
 * time that does not exist there (a spring-forward gap) is read as RFC 5545 §3.3.5 says, like the
 * series' own slots: with the offset before the gap (02:30 → 03:30).
 */
export function localInputToIso(value: string, timeZone?: string): string | null {
  if (!value) return null;
  const zone = timeZone && canonicalTimeZone(timeZone);
  const m = LOCAL_INPUT.exec(value);
  if (!zone || !m) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  const [y, mo, d, h, mi, s = "0"] = m.slice(1) as [string, string, string, string, string, string | undefined];
  const wall = new Date(0);
  wall.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  wall.setUTCHours(Number(h), Number(mi), Number(s), 0);
  return fromFloating(wall, zone).toISOString();
}

/** The `datetime-local` value of an instant: its wall clock in `timeZone` (the browser's without one). */
export function isoToLocalInput(iso: string | null, timeZone?: string): string {
  if (!iso) return "";
  const zone = timeZone && canonicalTimeZone(timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (zone) {
    const f = toFloating(new Date(iso), zone);
    return `${String(f.getUTCFullYear()).padStart(4, "0")}-${pad(f.getUTCMonth() + 1)}-${pad(f.getUTCDate())}T${pad(f.getUTCHours())}:${pad(f.getUTCMinutes())}:${pad(f.getUTCSeconds())}`;
  }
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Whether two zone names are the same zone to this runtime (`Asia/Kolkata` and `Asia/Calcutta` are). */
export function sameZone(a: string, b: string): boolean {
  const resolved = (z: string) => {
    try {
      return new Intl.DateTimeFormat("en-US", { timeZone: z }).resolvedOptions().timeZone;
    } catch {
      return z;
    }
  };
  return a === b || resolved(a) === resolved(b);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant for people: in `timeZone` when given (a task's times are shown in the zone it repeats
 * in, the zone named when it is not the browser's), else in the browser's zone.
 */
export function formatWhen(iso: string | null, timeZone?: string): string {
  if (!iso) return "";
  const zone = (timeZone && canonicalTimeZone(timeZone)) || undefined;
  const key = zone ?? "";
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: zone });
    if (formatters.size < 1000) formatters.set(key, f);
  }
  const text = f.format(new Date(iso));
  return zone && !sameZone(zone, browserZone()) ? `${text} (${zone})` : text;
}
