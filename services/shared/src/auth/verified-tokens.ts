import { createHash } from "node:crypto";

/** What a verified token said: its user and its `exp` claim (seconds since the epoch). */
export interface VerifiedClaims {
  id: string;
  email: string;
  exp: number;
}

/**
 * Tokens whose signature and claims were verified, so a client sending the same token on every
 * request costs a SHA-256 and a Map lookup instead of an HMAC verification (a WebCrypto job on the
 * thread pool). Keyed by a SHA-256 of the token, not the token: a key is then 44 characters whatever
 * the token's size (up to 4 KB), and the map holds no credential. Bounded: past `maxEntries` the
 * oldest entry goes. Only what verified is ever put here; expiry is checked again on every hit.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedClaims>();

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error("maxEntries must be a positive integer");
  }

  get size(): number {
    return this.entries.size;
  }

  /** The claims of `token` if it verified before and has not expired since, at `nowMs`. */
  get(token: string, nowMs: number): VerifiedClaims | null {
    const key = keyOf(token);
    const hit = this.entries.get(key);
    if (!hit) return null;
    // jose's own rule (6.2.18, dist/webapi/lib/jwt_claims_set.js): expired once exp <= now in whole seconds
    if (hit.exp <= Math.floor(nowMs / 1000)) {
      this.entries.delete(key);
      return null;
    }
    return hit;
  }

  /** Remembers a token that verified (never call it with one that did not). */
  add(token: string, claims: VerifiedClaims): void {
    const key = keyOf(token);
    if (this.entries.has(key)) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, claims);
  }
}

function keyOf(token: string): string {
  return createHash("sha256").update(token).digest("base64");
}
