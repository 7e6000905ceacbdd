import { Router } from "express";
import type pg from "pg";
import { z } from "zod";
import { currentUser, requireUser } from "../../../shared/src/auth/require-user";
import { HttpError, notFound, parse } from "../../../shared/src/http/errors";
import { inTransaction } from "../../../shared/src/db/pool";
import { makeEvent } from "@todo/contracts/envelope";
import { storableText } from "@todo/contracts/safe-text";
import type { TokenService } from "../../../shared/src/auth/tokens";
import { eraseUser, lockUser } from "../data/accounts";
import { appendToOutbox } from "../data/outbox";
import { findPasswordHashOf } from "../data/users";
import { verifyPassword } from "../domain/password-hashing";
import { hashAdmitted, recordPasswordCheck, type AuthGuards } from "./password-guard";
import { EVENT_SOURCE } from "../task-commands";

const DeleteAccountBody = z.strictObject({ password: storableText().min(1).max(1000) });

/**
 * `DELETE /api/account {password}`: erases the account. The backend deletes the user with its tasks
 * and writes `account.deleted` to the outbox in the same transaction; the event-processor (history),
 * reminder-scheduler (reminders and their Dapr jobs) and notification service (notifications) erase
 * theirs when it arrives. Login fails from then on; a token still in hand finds nothing (404/401).
 */
export function accountRoutes(db: pg.Pool, tokens: TokenService, afterCommit: () => void, guards: AuthGuards): Router {
  const router = Router();
  router.delete("/api/account", requireUser(tokens), async (req, res) => {
    const { password } = parse(DeleteAccountBody, req.body ?? {});
    const { id: userId, email } = currentUser(req);
    // The password is checked like a login (throttled per account and address, one bounded hash) and
    // before the transaction: a hash may wait in the queue and takes ~250 ms, which must not hold a
    // pooled connection and the user's row lock. (No API changes a password meanwhile.)
    const stored = await findPasswordHashOf(db, userId);
    if (!stored) throw notFound("account");
    const ok = await hashAdmitted(guards, req, email, () => verifyPassword(password, stored));
    await recordPasswordCheck(guards, req, email, ok);
    if (!ok) {
      // 403, not 401: the session is fine, the confirmation is not (a 401 would log the client out)
      throw new HttpError(403, "wrong_password", "the password is wrong", [{ field: "password", message: "does not match" }]);
    }
    await inTransaction(db, async (c) => {
      const user = await lockUser(c, userId);
      if (!user) throw notFound("account");
      await eraseUser(c, userId);
      const deletedAt = new Date().toISOString();
      await appendToOutbox(c, [
        makeEvent({ type: "account.deleted", source: EVENT_SOURCE, subject: userId, userId, correlationId: req.id, data: { userId, deletedAt } }),
      ]);
    });
    afterCommit();
    res.status(204).end();
  });
  return router;
}
