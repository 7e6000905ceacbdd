import { SignJWT, errors, jwtVerify } from "jose";

/**
 * Operator tokens for the dead-letter routes: HS256 with the platform's JWT secret (whoever can read
 * Secret `jwt-secret` — the operator with kubectl, or `npm start`'s data directory — can mint one),
 * but a different audience and a scope, so no user token of the API is ever accepted here.
 */
const ISSUER = "todo-platform";
export const OPERATOR_AUDIENCE = "todo-operator";
export const DEAD_LETTER_SCOPE = "dead-letters";

export async function signOperatorToken(secret: string, ttlSeconds = 300): Promise<string> {
  return new SignJWT({ scope: DEAD_LETTER_SCOPE })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("operator")
    .setIssuer(ISSUER)
    .setAudience(OPERATOR_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

export async function isOperatorToken(secret: string, token: string): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { issuer: ISSUER, audience: OPERATOR_AUDIENCE, algorithms: ["HS256"] });
    return payload.scope === DEAD_LETTER_SCOPE;
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof TypeError) return false;
    throw err;
  }
}
