import { createHash } from "node:crypto";
import type { Request, Response } from "express";
import type pg from "pg";
import { z } from "zod";
import { currentUser } from "../../../shared/src/auth/require-user";
import { HttpError, parse, unauthorized } from "../../../shared/src/http/errors";
import { claimKey, releaseKey, storeAnswer, type StoredAnswer } from "../data/idempotency-keys";

/** How long a first answer is replayed to retries of its request. */
export const IDEMPOTENCY_TTL_S = 24 * 3600;

/** Visible ASCII (a UUID, a ULID, any client token), at most 200 characters. */
const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "visible ASCII characters only")
    .optional(),
});

/**
 * `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header): the first request with a key
 * runs; its retries get the first answer back (with `Idempotent-Replayed: true`) instead of running
 * again. Keys are per user. The same key on a different request (method, path or body) is 422; while
 * the first request still runs, a retry is 409. A request that fails releases its key, so fixing and
 * retrying works. Without the header, the request simply runs.
 */
export async function answerOnce(db: pg.Pool, req: Request, res: Response, run: () => Promise<StoredAnswer>): Promise<void> {
  const key = parse(IdempotencyHeader, { "idempotency-key": req.get("idempotency-key") }, "headers")["idempotency-key"];
  if (key === undefined) return send(res, await run());
  const userId = currentUser(req).id;
  const fingerprint = createHash("sha256").update(`${req.method} ${req.path}\n${JSON.stringify(req.body ?? null)}`).digest("base64url");
  const claim = await claimKey(db, userId, key, fingerprint, IDEMPOTENCY_TTL_S).catch((err: { code?: string }) => {
    // a token outliving its erased account: the user row the key belongs to is gone
    throw err.code === "23503" ? unauthorized("the account no longer exists") : err;
  });
  switch (claim.kind) {
    case "mismatch":
      throw new HttpError(422, "idempotency_key_reused", "this Idempotency-Key was used for a different request", [
        { field: "Idempotency-Key", message: "already used for a different request" },
      ]);
    case "in-progress":
      throw new HttpError(409, "idempotency_key_in_progress", "a request with this Idempotency-Key is still being processed, retry shortly", [
        { field: "Idempotency-Key", message: "in progress" },
      ]);
    case "replay":
      res.setHeader("Idempotent-Replayed", "true");
      return send(res, claim.answer);
    case "new": {
      let answer: StoredAnswer;
      try {
        answer = await run();
      } catch (err) {
        await releaseKey(db, userId, key);
        throw err;
      }
      // The change is committed: the caller gets its answer even if keeping it fails (a retry then
      // sees "in progress" until the claim is abandoned, rather than a 5xx for a change that happened).
      await storeAnswer(db, userId, key, answer).catch((err: unknown) =>
        req.log.warn({ err: err instanceof Error ? err.message : String(err) }, "idempotency answer not stored"),
      );
      return send(res, answer);
    }
  }
}

function send(res: Response, answer: StoredAnswer) {
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.status(answer.status).json(answer.body);
}
