import type { Request } from "express";
import { tooManyRequests } from "../../../shared/src/http/errors";
import { clientAddress } from "../../../shared/src/http/client-address";
import type { AuthThrottle } from "../data/auth-throttle";
import { HashQueueFull, type PasswordHashQueue } from "../domain/password-hash-queue";

/** What every route that hashes a password goes through (signup, login, account deletion). */
export interface AuthGuards {
  throttle: AuthThrottle;
  hashes: PasswordHashQueue;
}

/** Throttle first (no hash for a refused client), then one bounded hash; both refusals are 429s. */
export async function hashAdmitted<T>(guards: AuthGuards, req: Request, account: string | null, hash: () => Promise<T>): Promise<T> {
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

/** Records a checked password: a wrong one counts against the account and the address, a right one clears the account. */
export async function recordPasswordCheck(guards: AuthGuards, req: Request, account: string, ok: boolean): Promise<void> {
  if (ok) await guards.throttle.recordSuccess(account);
  else await guards.throttle.recordFailure(account, clientAddress(req));
}
