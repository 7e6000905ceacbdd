import express, { Router, type Request, type Response } from "express";
import { callApp, type AppCallResult } from "../app-channel";
import { sendDaprError } from "../dapr-error";
import { BreakerRejectedError } from "../resiliency/circuit-breaker";
import { runWithPolicy, StatusCodeError } from "../resiliency/policy-runner";
import type { SidecarContext } from "../sidecar-context";

// Headers that belong to one hop, or that fetch recomputes, are not passed on.
const HOP_HEADERS = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade", "proxy-connection", "te", "trailer", "dapr-app-id", "accept-encoding"]);
const RESPONSE_SKIP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"]);

class AnsweredWithError extends StatusCodeError {
  constructor(readonly result: Extract<AppCallResult, { kind: "answered" }>) {
    super(result.status, `HTTP ${result.status}`);
  }
}

/**
 * Service invocation: `/v1.0/invoke/<app-id>/method/<path>` (any HTTP method) and the `dapr-app-id`
 * header form. Method, headers, query and body go through; the target's status and body come back.
 * An unknown or unreachable app → 500 `ERR_DIRECT_INVOKE`, as Dapr answers.
 *
 * Retries, timeout and breaker come from the Resiliency target of the callee app, as daprd applies them
 * (pkg/api/http/directmessaging.go, v1.18.3): a non-2xx/3xx answer is a status-code error — retried
 * unless `matching.httpStatusCodes` excludes it, and counted as a failure by the app + method breaker
 * either way; when the retries end, the app's last answer is relayed as it was. A connection error is
 * retried always; an open breaker answers 500 ERR_DIRECT_INVOKE without calling the app.
 */
export function invokeRoutes(ctx: SidecarContext): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: "4mb" });
  router.use("/v1.0/invoke", raw, (req, res) => {
    const match = /^\/([^/]+)\/method(\/.*)?$/.exec(req.url);
    if (!match) return sendDaprError(res, 400, "ERR_DIRECT_INVOKE", "expected /v1.0/invoke/<app-id>/method/<method>");
    const target = decodeURIComponent(match[1]!);
    const path = match[2] && match[2] !== "/" ? match[2] : undefined;
    if (!path) return sendDaprError(res, 400, "ERR_DIRECT_INVOKE", "method name is required");
    void relay(ctx, target, path, req, res);
  });
  // `dapr-app-id: <target>` on any other path invokes that path on the target.
  router.use((req, res, next) => {
    const target = req.headers["dapr-app-id"];
    if (typeof target !== "string" || req.path.startsWith("/v1.0")) return next();
    raw(req, res, () => void relay(ctx, target, req.url, req, res));
  });
  return router;
}

async function relay(ctx: SidecarContext, target: string, path: string, req: Request, res: Response): Promise<void> {
  if (!ctx.apps.has(target)) return sendDaprError(res, 500, "ERR_DIRECT_INVOKE", `failed to invoke, id: ${target}: app not found`);
  const headers: Record<string, string> = { "dapr-caller-app-id": ctx.appId, "dapr-callee-app-id": target };
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const body = Buffer.isBuffer(req.body) && req.body.length > 0 && !["GET", "HEAD"].includes(req.method) ? req.body : undefined;
  const method = path.replace(/^\//, "").split("?")[0]!;
  const policy = ctx.resiliency.endpoint(ctx.appId, target, method);
  let result: Extract<AppCallResult, { kind: "answered" }>;
  try {
    result = await runWithPolicy(ctx.resiliency, policy, async (signal) => {
      const r = await callApp(ctx.apps.url(target), path, { method: req.method, headers, body, signal, timeoutMs: 60_000 });
      if (r.kind !== "answered") throw new Error(r.reason);
      if (r.status < 200 || r.status > 399) throw new AnsweredWithError(r);
      return r;
    }, ctx.broker.stopSignal);
  } catch (err) {
    if (err instanceof AnsweredWithError) result = err.result;
    else {
      const reason = err instanceof BreakerRejectedError ? err.message : err instanceof Error ? err.message : String(err);
      return sendDaprError(res, 500, "ERR_DIRECT_INVOKE", `failed to invoke, id: ${target}, err: ${reason}`);
    }
  }
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers)) {
    if (value !== undefined && !RESPONSE_SKIP.has(name)) res.setHeader(name, value);
  }
  res.send(Buffer.from(result.body));
}
