import { Counter, Histogram } from "prom-client";
import { registry } from "./registry";

export const httpRequests = new Counter({
  name: "http_requests_total",
  help: "HTTP requests handled, by route template, method and status code",
  labelNames: ["route", "method", "status"] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: "http_request_duration_seconds",
  help: "HTTP request latency, by route template, method and status code",
  labelNames: ["route", "method", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
