import express, { Router, type Request, type Response } from "express";
import { backoffMs, callApp } from "../app-channel";
import { sendDaprError } from "../dapr-error";
import type { SidecarContext } from "../sidecar-context";

// Headers that belong to one hop, or that fetch recomputes, are not passed on.
const HOP_HEADERS = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade", "proxy-connection", "te", "trailer", "dapr-app-id", "accept-encoding"]);
const RESPONSE_SKIP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"]);
// Like Dapr's built-in invocation retries: a target that refuses the connection (restarting) is tried a few more times.
const UNAVAILABLE_RETRIES = 3;

/**
 * Service invocation: `/v1.0/invoke/<app-id>/method/<path>` (any HTTP method) and the `dapr-app-id`
 * header form. Method, headers, query and body go through; the target's status and body come back.
 * An unknown or unreachable app → 500 `ERR_DIRECT_INVOKE`, as Dapr answers.
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
  for (let attempt = 0; ; attempt++) {
    const result = await callApp(ctx.apps.url(target), path, { method: req.method, headers, body, timeoutMs: 60_000 });
    if (result.kind === "answered") {
      res.status(result.status);
      result.headers.forEach((value, name) => {
        if (!RESPONSE_SKIP.has(name)) res.setHeader(name, value);
      });
      res.send(Buffer.from(result.body));
      return;
    }
    if (result.kind === "failed" || attempt >= UNAVAILABLE_RETRIES) {
      return sendDaprError(res, 500, "ERR_DIRECT_INVOKE", `failed to invoke, id: ${target}, err: ${result.reason}`);
    }
    await new Promise((r) => setTimeout(r, backoffMs({ initialIntervalMs: 100, maxIntervalMs: 1000 }, attempt)));
  }
}
