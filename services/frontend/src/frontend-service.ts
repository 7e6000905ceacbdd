import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { Router } from "express";
import { createLogger } from "../../shared/src/telemetry/logger";
import { createServiceApp } from "../../shared/src/http/service-app";
import { initMetrics } from "../../shared/src/telemetry/registry";
import { listen, type RunningService } from "../../shared/src/http/run-service";
import type { FrontendConfig } from "./config";


// The page talks only to its own origin (/api, /ws): nothing from a CDN, no inline script. `'self'` in
// connect-src also covers ws:/wss: to the page's own host and port (CSP Level 3, §6.7.2.8 "Does url match
// expression in origin with redirect count?" — Chromium implements it), so no other socket host is allowed.
const WEB_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  styleSrc: ["'self'"],
  scriptSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  objectSrc: ["'none'"],
};

/** Serves the built web UI; unknown paths get index.html so reloads of client routes work. */
export function webRouter(webRoot: string): Router {
  const router = Router();
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
    // Security headers come from the common app (helmet); this page's policy allows its own origin.
    contentSecurityPolicy: WEB_CONTENT_SECURITY_POLICY,
    // The routes set their own: hashed assets immutable, index.html no-cache.
    cacheControl: false,
  });
  return listen({ port: config.PORT, host: config.HOST, log, handler: app, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_S * 1000 });
}
