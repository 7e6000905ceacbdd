import express, { type Express, type RequestHandler, type Router } from "express";
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import { errorHandler, notFoundHandler, requireJson } from "./errors";
import { methodNotAllowed, methodsServed } from "./method-not-allowed";
import { requestContext } from "./request-context";
import type { Logger } from "../telemetry/logger";
import { registry } from "../telemetry/registry";
import { subscriptions, type AppId } from "@todo/contracts/topology";

export type ReadinessCheck = () => Promise<void>;

export interface ServiceAppOptions {
  log: Logger;
  /** Each check throws when a dependency (database, sidecar) is unreachable. */
  readiness: Record<string, ReadinessCheck>;
  /** Routes of the service, mounted after the common middleware. */
  routes: Router[];
  /** Largest JSON body accepted; larger bodies get 413. */
  bodyLimit?: string;
  /** CSP directives (helmet's camelCase form); the default suits JSON: nothing may load, nobody may frame. */
  contentSecurityPolicy?: Record<string, string[]>;
  /**
   * `Cache-Control` of every answer unless a route sets its own; default `no-store`. `false` for a service
   * whose routes decide (the web UI's static files: `send` only sets the header when it is absent).
   */
  cacheControl?: string | false;
  /**
   * The app-id this service runs as: every subscription topology gives it must have a POST route among
   * `routes`, or the service fails at start naming the subscription (rather than Dapr's deliveries
   * getting 404s that Dapr retries and then dead-letters).
   */
  appId?: AppId;
}

/** A JSON API is never a document: it loads nothing and is framed by nobody. */
const API_CONTENT_SECURITY_POLICY = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/**
 * Security headers on every answer, errors included (helmet: `nosniff`, CSP with `frame-ancestors`,
 * `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, HSTS, CORP/COOP), plus `Cache-Control`
 * (`no-store` for the APIs: their answers carry a user's tasks or a token and must not sit in a browser or
 * proxy cache).
 *
 * helmet's headers follow from its options alone (helmet 8.3.0 `index.cjs` reads nothing of the request),
 * so they are taken once from a run of helmet against a recording response, and set in one loop per
 * request instead of through helmet's chain of middlewares.
 */
function securityHeaders(csp: Record<string, string[]>, cacheControl: string | false): RequestHandler {
  const headers = new Map<string, string>();
  const recorder = { setHeader: (name: string, value: unknown) => headers.set(name, String(value)), removeHeader: (name: string) => headers.delete(name) };
  let finished = false;
  helmet({ contentSecurityPolicy: { useDefaults: false, directives: csp }, frameguard: { action: "deny" } })(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (err?: unknown) => {
      if (err) throw err;
      finished = true;
    },
  );
  if (!finished) throw new Error("helmet did not set its headers synchronously: they may depend on the request");
  if (cacheControl !== false) headers.set("Cache-Control", cacheControl);
  const fixed = [...headers];
  return (_req, res, next) => {
    for (const [name, value] of fixed) res.setHeader(name, value);
    next();
  };
}

/**
 * The common shape of every service: request id + logs + metrics, JSON bodies only, `/healthz`,
 * `/readyz`, `/metrics`, then the service's routes, then the one error handler.
 */
export function createServiceApp(opts: ServiceAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-For counts only from these peers (the gateway of `npm start`, the ingress controller in the
  // cluster), and both replace what the client sent: see client-address.ts.
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  app.use(requestContext(opts.log));
  app.use(securityHeaders(opts.contentSecurityPolicy ?? API_CONTENT_SECURITY_POLICY, opts.cacheControl ?? "no-store"));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const results = await Promise.all(
      Object.entries(opts.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          return [name, "ok"] as const;
        } catch (err) {
          return [name, err instanceof Error ? err.message : String(err)] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r === "ok");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks: Object.fromEntries(results) });
  });
  app.get("/metrics", async (req, res, next) => {
    // Prometheus scrapes the pod port directly. A request that came through a proxy — the cluster's
    // Ingress (Traefik's proxy is Go's httputil.ReverseProxy with a Director, which always appends
    // X-Forwarded-For; traefik v3.5.0 pkg/proxy/httputil/proxy.go) or the gateway of `npm start` (xfwd) —
    // is from the public side, and the frontend's metrics would otherwise be public behind "/".
    if (req.headers["x-forwarded-for"] !== undefined) return next();
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.use(requireJson);
  app.use(express.json({ limit: opts.bodyLimit ?? "64kb", type: ["application/json", "application/*+json"] }));
  for (const r of opts.routes) app.use(r);
  if (opts.appId) assertSubscriptionsServed(app, opts.appId);
  app.use(methodNotAllowed(app));
  app.use(notFoundHandler);
  app.use(errorHandler(opts.log));
  return app;
}

/** Throws naming the first subscription of `appId` (topology.ts) that no POST route of `app` serves. */
export function assertSubscriptionsServed(app: Express, appId: AppId): void {
  for (const s of subscriptions.filter((sub) => sub.appId === appId)) {
    const methods = methodsServed(app, s.route);
    if (!methods.has("POST") && !methods.has("*")) {
      throw new Error(`${appId}: no handler for subscription ${s.name} (topic ${s.topic}, POST ${s.route})`);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
