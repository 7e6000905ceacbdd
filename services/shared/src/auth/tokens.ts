import { SignJWT, jwtVerify, errors } from "jose";

export interface AuthUser {
  id: string;
  email: string;
  /** When the token that authenticated this user stops being valid (set by `verify`; every valid token has one). */
  expiresAt?: Date;
}

const ISSUER = "todo-platform";
const AUDIENCE = "todo-api";

/** Signs and verifies the API's JWTs (HS256) with the secret the services read from the Dapr secret store. */
export class TokenService {
  /**
   * Imported once: given the raw bytes, jose imports a WebCrypto key on every call (jose 6.2,
   * dist/webapi/lib/key.js), which was the largest single cost of verifying a request's token in a
   * CPU profile of the backend under `npm run bench`'s create load.
   */
  private readonly key: Promise<CryptoKey>;

  constructor(secret: string, private readonly ttlSeconds = 24 * 3600) {
    if (secret.length < 32) throw new Error("JWT secret must be at least 32 characters");
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

  /** Returns the user, or null for any invalid, expired or malformed token. */
  async verify(token: string): Promise<AuthUser | null> {
    try {
      // A token without `exp` would never expire: jose checks `exp` only when present, unless required.
      const { payload } = await jwtVerify(token, await this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"], requiredClaims: ["exp", "sub"] });
      if (typeof payload.sub !== "string" || typeof payload.email !== "string" || typeof payload.exp !== "number") return null;
      return { id: payload.sub, email: payload.email, expiresAt: new Date(payload.exp * 1000) };
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
  }
}

export { JWT_SECRET_NAME } from "@todo/contracts/secret-names";
