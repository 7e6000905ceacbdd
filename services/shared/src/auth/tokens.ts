import { SignJWT, jwtVerify, errors } from "jose";
import { VerifiedTokens, type VerifiedClaims } from "./verified-tokens";

export interface AuthUser {
  id: string;
  email: string;
  /** When the token that authenticated this user stops being valid (set by `verify`; every valid token has one). */
  expiresAt?: Date;
}

const ISSUER = "todo-platform";
const AUDIENCE = "todo-api";
/**
 * Distinct tokens remembered as verified, per process: one per active session is what a hit needs;
 * at ~200 bytes an entry this bounds the cache near 1 MB.
 */
const VERIFIED_TOKENS_KEPT = 4096;

/** Signs and verifies the API's JWTs (HS256) with the secret the services read from the Dapr secret store. */
export class TokenService {
  /**
   * Imported once: given the raw bytes, jose imports a WebCrypto key on every call (jose 6.2,
   * dist/webapi/lib/key.js), which was the largest single cost of verifying a request's token in a
   * CPU profile of the backend under `npm run bench`'s create load.
   */
  private readonly key: Promise<CryptoKey>;
  private readonly verified: VerifiedTokens;
  private readonly clock: () => number;

  constructor(
    secret: string,
    private readonly ttlSeconds = 24 * 3600,
    options: { verifiedTokensKept?: number; clock?: () => number } = {},
  ) {
    if (secret.length < 32) throw new Error("JWT secret must be at least 32 characters");
    this.verified = new VerifiedTokens(options.verifiedTokensKept ?? VERIFIED_TOKENS_KEPT);
    this.clock = options.clock ?? Date.now;
    this.key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }

  async sign(user: AuthUser): Promise<string> {
    return new SignJWT({ email: user.email })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(await this.key);
  }

  /**
   * Returns the user, or null for any invalid, expired or malformed token. A token verified before is
   * answered from memory (see VerifiedTokens) until its `exp`: the signature and claims of the same
   * string cannot have changed, and expiry is checked on every answer.
   */
  async verify(token: string): Promise<AuthUser | null> {
    const now = this.clock();
    const known = this.verified.get(token, now);
    if (known) return userOf(known);
    try {
      // A token without `exp` would never expire: jose checks `exp` only when present, unless required.
      const { payload } = await jwtVerify(token, await this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
        requiredClaims: ["exp", "sub"],
        currentDate: new Date(now),
      });
      if (typeof payload.sub !== "string" || typeof payload.email !== "string" || typeof payload.exp !== "number") return null;
      const claims = { id: payload.sub, email: payload.email, exp: payload.exp };
      this.verified.add(token, claims);
      return userOf(claims);
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
  }

  /** Tokens remembered as verified (for tests of the bound). */
  get verifiedTokensKept(): number {
    return this.verified.size;
  }
}

/** A fresh object per request: a handler changing req.user cannot change what the next request sees. */
function userOf(claims: VerifiedClaims): AuthUser {
  return { id: claims.id, email: claims.email, expiresAt: new Date(claims.exp * 1000) };
}

export { JWT_SECRET_NAME } from "@todo/contracts/secret-names";
