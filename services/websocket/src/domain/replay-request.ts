import { z } from "zod";

/** CloudEvent ids are UUIDs here (makeEvent), but any short id of safe characters is accepted. */
const LastEventId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, "must be the id of a frame (letters, digits, . _ : -)");

export type ReplayRequest = { ok: true; lastEventId: string | null } | { ok: false; message: string };

/** The `lastEventId` query parameter of an upgrade: absent (a fresh start), valid, or a 400 to answer. */
export function replayRequestOf(requestUrl: string): ReplayRequest {
  const values = new URL(requestUrl, "http://localhost").searchParams.getAll("lastEventId");
  if (values.length === 0) return { ok: true, lastEventId: null };
  if (values.length > 1) return { ok: false, message: "lastEventId: give it once" };
  const parsed = LastEventId.safeParse(values[0]);
  return parsed.success ? { ok: true, lastEventId: parsed.data } : { ok: false, message: `lastEventId: ${parsed.error.issues[0]!.message}` };
}
