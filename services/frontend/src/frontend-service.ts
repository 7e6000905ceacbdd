import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { Router } from "express";
import { createLogger, createServiceApp, initMetrics, listen, type RunningService } from "../../shared/src";
import type { FrontendConfig } from "./config";


// The page talks only to its own origin (/api, /ws): nothing from a CDN, no inline script.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/** Serves the built web UI; unknown paths get index.html so reloads of client routes work. */
export function webRouter(webRoot: string): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "same-origin");
    next();
  });
  // Vite names assets by content hash, so they can be cached forever; index.html never is.
  router.use("/assets", express.static(join(webRoot, "assets"), { immutable: true, maxAge: "365d", fallthrough: false }));
  router.use(express.static(webRoot, { index: false, maxAge: 0 }));
  router.get(/^\/(?!api\/|ws$|metrics$|healthz$|readyz$).*/, (_req, res) => {
    res.setHeader("cache-control", "no-cache");
    res.sendFile(join(webRoot, "index.html"));
  });
  return router;
}

export async function start(config: FrontendConfig): Promise<RunningService> {
  const log = createLogger("frontend", config.LOG_LEVEL);
  initMetrics("frontend");
  const app = createServiceApp({
    log,
    readiness: {
      build: async () => {
        if (!existsSync(join(config.WEB_ROOT, "index.html"))) throw new Error(`no web build in ${config.WEB_ROOT}`);
      },
    },
    routes: [webRouter(config.WEB_ROOT)],
  });
  return listen({ port: config.PORT, host: config.HOST, log, handler: app, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_S * 1000 });
}
