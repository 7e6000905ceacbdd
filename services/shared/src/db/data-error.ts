/**
 * Whether PostgreSQL refused a value itself (SQLSTATE class 22, "data exception": a NUL byte, a time out
 * of range, a number that overflows, malformed text for a type). Request values reach SQL only as bind
 * parameters, so such an error means the request carried a value the input schemas let through: a 400
 * for the caller, and a gap to close in the schema (the error handler logs it).
 */
export function isInvalidValueError(err: unknown): err is { code: string; message: string } {
  if (typeof err !== "object" || err === null) return false;
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  // node-postgres' DatabaseError carries the server's SQLSTATE in `code` and its severity; Node's own
  // errors (ECONNRESET…) have a code but no severity.
  return typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code) && typeof severity === "string";
}
