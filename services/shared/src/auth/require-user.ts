import type { RequestHandler } from "express";
import { unauthorized } from "../http/errors";
import type { AuthUser, TokenService } from "./tokens";

declare module "express-serve-static-core" {
  interface Request {
    user?: AuthUser;
  }
}

/** `Authorization: Bearer <jwt>` → `req.user`, else 401. */
export function requireUser(tokens: TokenService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.header("authorization") ?? "";
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header);
    const user = match ? await tokens.verify(match[1]!) : null;
    if (!user) {
      next(unauthorized());
      return;
    }
    req.user = user;
    next();
  };
}

/** For handlers behind requireUser. */
export function currentUser(req: { user?: AuthUser }): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}
