import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "../telemetry/logger";
import { httpRequestDuration, httpRequests } from "../telemetry/http-metrics";
import { cronBindings } from "@todo/contracts/topology";

declare module "express-serve-static-core" {
  interface Request {
    id: string;
    log: Logger;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SIDECAR_TRAFFIC = new RegExp(`^/(events|job|internal)/|^/(${cronBindings.map((b) => b.name).join("|")})$`);

/**
 * Gives every request an id (the caller's `x-request-id` when well-formed), a child logger carrying
 * it, one access-log line and the HTTP metrics labelled by route template (bounded cardinality).
 */
export function requestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.header("x-request-id");
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = log.child({ reqId: req.id });
    res.setHeader("x-request-id", req.id);
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      const labels = { route, method: req.method, status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpRequestDuration.observe(labels, seconds);
      if (route === "/healthz" || route === "/readyz" || route === "/metrics") return;
      const line = { method: req.method, url: req.originalUrl.split("?")[0], status: res.statusCode, ms: Math.round(seconds * 1000) };
      // Sidecar traffic (event deliveries, job callbacks, service invocation, cron) is several lines per
      // user request and is counted in the metrics: log it at debug unless it failed.
      if (SIDECAR_TRAFFIC.test(line.url) && res.statusCode < 400) req.log.debug(line, "request");
      else req.log.info(line, "request");
    });
    next();
  };
}
