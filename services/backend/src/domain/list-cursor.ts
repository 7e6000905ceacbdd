import { z } from "zod";
import { instantString, storableText } from "@todo/contracts/safe-text";
import { sortKeys, type SortKey, type SortOrder } from "./task-input";

/**
 * Keyset pagination position: the last item's sort value and id, plus the sort it belongs to, so a
 * cursor from one listing cannot silently be applied to another. Opaque to clients (base64url JSON).
 */
export interface ListCursor {
  sort: SortKey;
  order: SortOrder;
  /** dueAt/createdAt: ISO string (dueAt may be null), priority: rank 1..3, title: string. */
  value: string | number | null;
  id: string;
}

const CursorShape = z.strictObject({
  s: z.enum(sortKeys),
  o: z.enum(["asc", "desc"]),
  v: z.union([storableText().max(400), z.number().int().min(1).max(3), z.null()]),
  id: z.uuid(),
});

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify({ s: c.sort, o: c.order, v: c.value, id: c.id })).toString("base64url");
}

/** Returns the cursor, or an explanation of why it is unusable. */
export function decodeCursor(text: string, sort: SortKey, order: SortOrder): ListCursor | string {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return "cursor is malformed";
  }
  const parsed = CursorShape.safeParse(raw);
  if (!parsed.success) return "cursor is malformed";
  const c = parsed.data;
  if (c.s !== sort || c.o !== order) return "cursor belongs to a different sort or order";
  // A cursor is opaque but not trusted: an edited time must be one PostgreSQL accepts (`Date.parse`
  // also takes "2020", "1" or "+275760-09-13T00:00:00Z", which timestamptz does not).
  const isInstant = (v: unknown) => instantString().safeParse(v).success;
  const valueOk =
    sort === "priority" ? typeof c.v === "number"
    : sort === "title" ? typeof c.v === "string"
    : sort === "createdAt" ? isInstant(c.v)
    : c.v === null || isInstant(c.v);
  if (!valueOk) return "cursor is malformed";
  return { sort: c.s, order: c.o, value: c.v, id: c.id };
}
