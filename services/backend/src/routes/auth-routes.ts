import { randomUUID } from "node:crypto";
import { Router } from "express";
import type pg from "pg";
import { z } from "zod";
import { HttpError, parse, unauthorized, type TokenService } from "../../../shared/src";
import { findUserByEmail, insertUser } from "../data/users";
import { decoyHash, hashPassword, verifyPassword } from "../domain/password-hashing";
import { passwordProblem } from "../domain/password-policy";

const SignupBody = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  password: z.string().max(1000),
});
const LoginBody = z.strictObject({
  email: z.string().trim().min(1).max(254).transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(1000),
});

const INVALID_LOGIN = "email or password is wrong";

export function authRoutes(db: pg.Pool, tokens: TokenService): Router {
  const router = Router();

  router.post("/api/auth/signup", async (req, res) => {
    const body = parse(SignupBody, req.body);
    const problem = passwordProblem(body.password);
    if (problem) throw new HttpError(400, "weak_password", problem, [{ field: "password", message: problem }]);
    const user = { id: randomUUID(), email: body.email };
    if (!(await insertUser(db, { ...user, passwordHash: await hashPassword(body.password) }))) {
      throw new HttpError(409, "email_taken", "an account with this email already exists", [{ field: "email", message: "already registered" }]);
    }
    res.status(201).json({ token: await tokens.sign(user), user });
  });

  router.post("/api/auth/login", async (req, res) => {
    const body = parse(LoginBody, req.body);
    const found = await findUserByEmail(db, body.email);
    // Unknown emails cost a hash too, so timing does not tell which emails have accounts.
    const ok = await verifyPassword(body.password, found?.passwordHash ?? (await decoyHash()));
    if (!found || !ok) throw unauthorized(INVALID_LOGIN);
    const user = { id: found.id, email: found.email };
    res.json({ token: await tokens.sign(user), user });
  });

  return router;
}
