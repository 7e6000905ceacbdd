/** SQLSTATEs of a server that is shutting down, starting up or unreachable (classes 08 and 57P). */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"]);
// node-postgres reports a lost or refused connection with these messages and no code.
const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /is not queryable/];

/**
 * Whether an error means "the database cannot be reached right now" (restart, failover, network) rather
 * than a bug: such a request is worth retrying, so it is answered 503, not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (UNAVAILABLE_STATES.has(code) || UNAVAILABLE_CODES.has(code))) return true;
  return typeof message === "string" && UNAVAILABLE_MESSAGES.some((m) => m.test(message));
}
