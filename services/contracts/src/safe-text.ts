import { z } from "zod";

/**
 * Refinements every boundary schema builds its strings and times from, so that a value which passed
 * validation can also be stored: PostgreSQL `text` and `jsonb` reject U+0000 (`invalid byte sequence for
 * encoding "UTF8": 0x00`, `unsupported Unicode escape sequence`), an unpaired UTF-16 surrogate is not
 * UTF-8 at all (`jsonb` rejects `"\ud800"`, which is what `JSON.stringify` writes for it, so the outbox
 * insert failed), and `timestamptz` input takes years 1–9999 only in the ISO form we write.
 */

export const STORABLE_TEXT_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";

// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one (no `u`
// flag: the pattern looks at UTF-16 code units). `String.prototype.isWellFormed` is ES2024, past our lib.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True for a string that PostgreSQL text/jsonb and UTF-8 JSON can carry unchanged. */
export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** `z.string()` that refuses NUL and unpaired surrogates; chain `.trim().min().max()` as usual. */
export function storableText() {
  return z.string().refine(isStorableText, { message: STORABLE_TEXT_MESSAGE });
}

/** Earliest and latest instants PostgreSQL accepts in the ISO form `toISOString()` writes (years 1–9999 UTC). */
export const EARLIEST_INSTANT_MS = Date.parse("0001-01-01T00:00:00.000Z");
export const LATEST_INSTANT_MS = Date.parse("9999-12-31T23:59:59.999Z");
export const INSTANT_RANGE_MESSAGE = "must be between 0001-01-01 and 9999-12-31 in UTC";

/** True for an epoch-milliseconds value inside years 1–9999 UTC. */
export function isStorableInstant(ms: number): boolean {
  return ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;
}

/**
 * ISO 8601 date-time with an offset (or Z) whose UTC value lies in years 1–9999. The offset counts:
 * `0001-01-01T00:00:00+01:00` is year 0 in UTC, `9999-12-31T23:59:59-12:00` is year 10000.
 */
export function instantString() {
  return z.iso
    .datetime({ offset: true })
    .refine((s) => isStorableInstant(Date.parse(s)), { message: INSTANT_RANGE_MESSAGE });
}

/** `instantString()` normalised to UTC (`…Z`, milliseconds), the form the API stores and answers. */
export function utcInstant() {
  return instantString().transform((s) => new Date(s).toISOString());
}
