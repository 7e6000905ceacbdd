import type { ErrorRequestHandler, RequestHandler } from "express";
import { z } from "zod";
import { isInvalidValueError } from "../db/data-error";
import { isDatabaseUnavailable } from "../db/unavailable";

/** The one HTTP error shape: `{"error":{"code","message","details"}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Headers the answer must carry (`Retry-After` on a 429, `Allow` on a 405). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** The body of every error response, also where no Express response exists (a refused WebSocket upgrade). */
export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, details: details ?? null } };
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, "bad_request", message, details);
export const unauthorized = (message = "missing or invalid token") => new HttpError(401, "unauthorized", message);
export const notFound = (what = "resource") => new HttpError(404, "not_found", `${what} not found`);
export const conflict = (message: string) => new HttpError(409, "conflict", message);
export const preconditionFailed = (message: string, details?: unknown) =>
  new HttpError(412, "precondition_failed", message, details);
/** 429 with `Retry-After` in whole seconds (RFC 9110 §10.2.3). */
export const tooManyRequests = (code: string, message: string, retryAfterS: number) =>
  new HttpError(429, code, message, [{ field: "request", message: `retry after ${retryAfterS} s` }], { "Retry-After": String(retryAfterS) });

/** Turns a zod failure into a 400 naming each offending field. */
export function validationError(error: z.ZodError, where: "body" | "query" | "params" | "headers" = "body"): HttpError {
  const details = error.issues.map((i) => ({ field: i.path.join(".") || where, message: i.message }));
  const fields = [...new Set(details.map((d) => d.field))].join(", ");
  return new HttpError(400, "validation_failed", `invalid ${where}: ${fields}`, details);
}

/** Parses with zod or throws a 400 naming the fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: "body" | "query" | "params" | "headers" = "body"): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, "not_found", `no route for ${req.method} ${req.path}`));
};

/** The one error handler: known errors keep their status, body-parser errors map to 400/413/415. */
export function errorHandler(log: { error: (o: object, m: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let httpError: HttpError;
    if (err instanceof HttpError) httpError = err;
    else if (err instanceof z.ZodError) httpError = validationError(err);
    else if (err?.type === "entity.too.large") httpError = new HttpError(413, "payload_too_large", "request body too large");
    else if (err?.type === "entity.parse.failed") httpError = new HttpError(400, "invalid_json", "request body is not valid JSON");
    else if (err?.type === "encoding.unsupported" || err?.type === "charset.unsupported")
      httpError = new HttpError(415, "unsupported_media_type", err.message);
    else if (typeof err?.status === "number" && err.status >= 400 && err.status < 500)
      httpError = new HttpError(err.status, "bad_request", String(err.message ?? "bad request"));
    else if (isInvalidValueError(err)) {
      // The schemas should have refused this value; the caller still gets a 400, the log says which.
      log.error({ err, reqId: req.id }, "a request value was rejected by PostgreSQL, not by its input schema");
      httpError = new HttpError(400, "invalid_value", "a value in the request cannot be stored", [{ field: "request", message: "a value is out of range or not representable" }]);
    } else if (isDatabaseUnavailable(err)) {
      // A restart or failover, not a bug: worth a retry (as with any 5xx, a COMMIT whose reply was lost
      // may have taken effect).
      httpError = new HttpError(503, "unavailable", "the database is unavailable; retry shortly");
      if (!res.headersSent) res.setHeader("Retry-After", "1");
    } else {
      log.error({ err, reqId: req.id }, "unhandled error");
      httpError = new HttpError(500, "internal", "internal error");
    }
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(httpError.headers ?? {})) res.setHeader(name, value);
    res.status(httpError.status).json(errorBody(httpError.code, httpError.message, httpError.details));
  };
}

/** Mutating requests with a body must say it is JSON. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (["POST", "PUT", "PATCH"].includes(req.method) && hasBody && !req.is(["application/json", "application/*+json"])) {
    next(new HttpError(415, "unsupported_media_type", "Content-Type must be application/json"));
    return;
  }
  next();
};
