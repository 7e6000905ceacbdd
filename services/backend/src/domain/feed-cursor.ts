import { z } from "zod";
import { instantString } from "@todo/contracts/safe-text";

/** Where a change-feed page ends: the last change's time and id (tasks and deletions share the order). */
export interface FeedPosition {
  at: string;
  id: string;
}

/** The change feed's page position, opaque to clients (base64url JSON), distinct from list cursors. */
// An edited `at` must still be a time PostgreSQL takes (years 1–9999 UTC), like the list cursor's.
const Shape = z.strictObject({ f: z.literal(1), at: instantString(), id: z.uuid() });

export function encodeFeedCursor(p: FeedPosition): string {
  return Buffer.from(JSON.stringify({ f: 1, at: p.at, id: p.id })).toString("base64url");
}

export function decodeFeedCursor(text: string): FeedPosition | null {
  try {
    const parsed = Shape.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? { at: parsed.data.at, id: parsed.data.id } : null;
  } catch {
    return null;
  }
}
