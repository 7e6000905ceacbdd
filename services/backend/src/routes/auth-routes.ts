import { randomUUID } from "node:crypto";
import { Router } from "express";
import type pg from "pg";
import { z } from "zod";
import { HttpError, parse, unauthorized } from "../../../shared/src/http/errors";
import { storableText } from "@todo/contracts/safe-text";
import type { TokenService } from "../../../shared/src/auth/tokens";
import { findUserByEmail, insertUser } from "../data/users";
import { decoyHash, hashPassword, verifyPassword } from "../domain/password-hashing";
import { passwordProblem } from "../domain/password-policy";
import { hashAdmitted, recordPasswordCheck, type AuthGuards } from "./password-guard";

const SignupBody = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  password: storableText().max(1000),
});
const LoginBody = z.strictObject({
  email: storableText().trim().min(1).max(254).transform((e) => e.toLowerCase()),
  password: storableText().min(1).max(1000),
});

const INVALID_LOGIN = "email or password is wrong";

export type { AuthGuards } from "./password-guard";

export function authRoutes(db: pg.Pool, tokens: TokenService, guards: AuthGuards): Router {
  const router = Router();

  router.post("/api/auth/signup", async (req, res) => {
    const body = parse(SignupBody, req.body);
    const problem = passwordProblem(body.password);
    if (problem) throw new HttpError(400, "weak_password", problem, [{ field: "password", message: problem }]);
    const user = { id: randomUUID(), email: body.email };
    const passwordHash = await hashAdmitted(guards, req, null, () => hashPassword(body.password));
    if (!(await insertUser(db, { ...user, passwordHash }))) {
      throw new HttpError(409, "email_taken", "an account with this email already exists", [{ field: "email", message: "already registered" }]);
    }
    res.status(201).json({ token: await tokens.sign(user), user });
  });

  router.post("/api/auth/login", async (req, res) => {
    const body = parse(LoginBody, req.body);
    const found = await findUserByEmail(db, body.email);
    // Unknown emails cost a hash too, so timing does not tell which emails have accounts.
    const ok = await hashAdmitted(guards, req, body.email, async () => verifyPassword(body.password, found?.passwordHash ?? (await decoyHash())));
    await recordPasswordCheck(guards, req, body.email, Boolean(found && ok));
    if (!found || !ok) throw unauthorized(INVALID_LOGIN);
    const user = { id: found.id, email: found.email };
    res.json({ token: await tokens.sign(user), user });
  });

  return router;
}
