import { createHash } from "node:crypto";
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

/** How much a client may try (OWASP ASVS 2.2.1: anti-automation against credential guessing). */
export interface AuthThrottleLimits {
  /** Failed logins per account (from any address) within `failureWindowS`; then 429 until the window ends. */
  failuresPerAccount: number;
  /** Failed logins per client address (over all accounts: password spraying) within `failureWindowS`. */
  failuresPerAddress: number;
  failureWindowS: number;
  /** Logins and signups per client address per minute, failed or not: each costs a password hash. */
  attemptsPerAddressPerMinute: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterS: number; reason: "account" | "address" };

const TABLE = "auth_throttle";

/**
 * The login/signup throttle. Counters live in PostgreSQL (`backend.auth_throttle`, created by a
 * migration), shared by every backend replica: in-memory counters would give an attacker one budget per
 * pod. Keys are SHA-256 of the email or address, so the table holds neither in clear and an email of
 * any length fits the key column. An unknown email is counted like a known one, so a 429 tells nothing
 * about which accounts exist.
 */
export class AuthThrottle {
  private readonly accountFailures: RateLimiterPostgres;
  private readonly addressFailures: RateLimiterPostgres;
  private readonly addressAttempts: RateLimiterPostgres;

  constructor(pool: pg.Pool, private readonly limits: AuthThrottleLimits) {
    const store = { storeClient: pool, storeType: "pool", schemaName: "backend", tableName: TABLE, tableCreated: true };
    this.accountFailures = new RateLimiterPostgres({ ...store, keyPrefix: "fa", points: limits.failuresPerAccount, duration: limits.failureWindowS });
    this.addressFailures = new RateLimiterPostgres({ ...store, keyPrefix: "fi", points: limits.failuresPerAddress, duration: limits.failureWindowS });
    this.addressAttempts = new RateLimiterPostgres({ ...store, keyPrefix: "ai", points: limits.attemptsPerAddressPerMinute, duration: 60 });
  }

  /**
   * Before any hashing: refused while the account or the address has used up its failures, or the
   * address its attempts. Admitting counts one attempt for the address.
   */
  async admit(account: string | null, address: string): Promise<ThrottleVerdict> {
    const [byAccount, byAddress] = await Promise.all([
      account === null ? null : this.accountFailures.get(keyOf("account", account)),
      this.addressFailures.get(keyOf("address", address)),
    ]);
    if (byAccount && byAccount.consumedPoints >= this.limits.failuresPerAccount) return refused("account", byAccount);
    if (byAddress && byAddress.consumedPoints >= this.limits.failuresPerAddress) return refused("address", byAddress);
    try {
      await this.addressAttempts.consume(keyOf("address", address));
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return refused("address", rejection);
      throw rejection;
    }
  }

  /** A wrong password (or an unknown email) counts against both the account and the address. */
  async recordFailure(account: string, address: string): Promise<void> {
    await Promise.all([this.accountFailures.penalty(keyOf("account", account)), this.addressFailures.penalty(keyOf("address", address))]);
  }

  /** The right password clears the account's failures (the address keeps its count). */
  async recordSuccess(account: string): Promise<void> {
    await this.accountFailures.delete(keyOf("account", account));
  }
}

function keyOf(kind: "account" | "address", value: string): string {
  return createHash("sha256").update(`${kind}\n${value}`).digest("base64url");
}

function refused(reason: "account" | "address", res: RateLimiterRes): ThrottleVerdict {
  return { allowed: false, reason, retryAfterS: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}
