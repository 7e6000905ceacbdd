import express, { type Express, type Router } from "express";
import { errorHandler, notFoundHandler, requireJson } from "./errors";
import { requestContext } from "./request-context";
import type { Logger } from "../telemetry/logger";
import { registry } from "../telemetry/registry";

export type ReadinessCheck = () => Promise<void>;

export interface ServiceAppOptions {
  log: Logger;
  /** Each check throws when a dependency (database, sidecar) is unreachable. */
  readiness: Record<string, ReadinessCheck>;
  /** Routes of the service, mounted after the common middleware. */
  routes: Router[];
  /** Largest JSON body accepted; larger bodies get 413. */
  bodyLimit?: string;
}

/**
 * The common shape of every service: request id + logs + metrics, JSON bodies only, `/healthz`,
 * `/readyz`, `/metrics`, then the service's routes, then the one error handler.
 */
export function createServiceApp(opts: ServiceAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  app.use(requestContext(opts.log));

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
  app.get("/metrics", async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.use(requireJson);
  app.use(express.json({ limit: opts.bodyLimit ?? "64kb", type: ["application/json", "application/*+json"] }));
  for (const r of opts.routes) app.use(r);
  app.use(notFoundHandler);
  app.use(errorHandler(opts.log));
  return app;
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
