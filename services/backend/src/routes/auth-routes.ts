import { randomUUID } from "node:crypto";
import { Router, type Request } from "express";
import type pg from "pg";
import { z } from "zod";
import { HttpError, parse, storableText, tooManyRequests, unauthorized, type TokenService } from "../../../shared/src";
import { clientAddress } from "../../../shared/src/http/client-address";
import type { AuthThrottle } from "../data/auth-throttle";
import { findUserByEmail, insertUser } from "../data/users";
import { decoyHash, hashPassword, verifyPassword } from "../domain/password-hashing";
import { passwordProblem } from "../domain/password-policy";
import { HashQueueFull, type PasswordHashQueue } from "../domain/password-hash-queue";

const SignupBody = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  password: storableText().max(1000),
});
const LoginBody = z.strictObject({
  email: storableText().trim().min(1).max(254).transform((e) => e.toLowerCase()),
  password: storableText().min(1).max(1000),
});

const INVALID_LOGIN = "email or password is wrong";

export interface AuthGuards {
  throttle: AuthThrottle;
  hashes: PasswordHashQueue;
}

export function authRoutes(db: pg.Pool, tokens: TokenService, guards: AuthGuards): Router {
  const router = Router();

  /** Throttle first (no hash for a refused client), then one bounded hash. */
  async function hashAdmitted<T>(req: Request, account: string | null, hash: () => Promise<T>): Promise<T> {
    const verdict = await guards.throttle.admit(account, clientAddress(req));
    if (!verdict.allowed) {
      const what = verdict.reason === "account" ? "too many failed sign-ins for this account" : "too many sign-in attempts from this address";
      throw tooManyRequests("too_many_attempts", `${what}; retry in ${verdict.retryAfterS} s`, verdict.retryAfterS);
    }
    try {
      return await guards.hashes.run(hash);
    } catch (err) {
      if (err instanceof HashQueueFull) throw tooManyRequests("busy", `${err.message} (in ${err.retryAfterS} s)`, err.retryAfterS);
      throw err;
    }
  }

  router.post("/api/auth/signup", async (req, res) => {
    const body = parse(SignupBody, req.body);
    const problem = passwordProblem(body.password);
    if (problem) throw new HttpError(400, "weak_password", problem, [{ field: "password", message: problem }]);
    const user = { id: randomUUID(), email: body.email };
    const passwordHash = await hashAdmitted(req, null, () => hashPassword(body.password));
    if (!(await insertUser(db, { ...user, passwordHash }))) {
      throw new HttpError(409, "email_taken", "an account with this email already exists", [{ field: "email", message: "already registered" }]);
    }
    res.status(201).json({ token: await tokens.sign(user), user });
  });

  router.post("/api/auth/login", async (req, res) => {
    const body = parse(LoginBody, req.body);
    const found = await findUserByEmail(db, body.email);
    // Unknown emails cost a hash too, so timing does not tell which emails have accounts.
    const ok = await hashAdmitted(req, body.email, async () => verifyPassword(body.password, found?.passwordHash ?? (await decoyHash())));
    if (!found || !ok) {
      await guards.throttle.recordFailure(body.email, clientAddress(req));
      throw unauthorized(INVALID_LOGIN);
    }
    await guards.throttle.recordSuccess(body.email);
    const user = { id: found.id, email: found.email };
    res.json({ token: await tokens.sign(user), user });
  });

  return router;
}
