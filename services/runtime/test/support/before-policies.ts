import { localDaprResources, type DaprObject } from "@todo/contracts/dapr-resources";

/**
 * The Resiliency the repository deployed before issue 14 (deliveryBreaker, appBreaker, no `matching`,
 * 5 delivery retries) — kept so tests can show what the faithful runtime does under it.
 */
export const BEFORE_RESILIENCY = {
  policies: {
    timeouts: { delivery: "15s", invocation: "10s" },
    retries: {
      deliveryRetry: { policy: "exponential", duration: "200ms", maxInterval: "5000ms", maxRetries: 5 },
      invocationRetry: { policy: "exponential", duration: "200ms", maxInterval: "2s", maxRetries: 3 },
    },
    circuitBreakers: {
      deliveryBreaker: { maxRequests: 1, interval: "30s", timeout: "30s", trip: "consecutiveFailures >= 10" },
      appBreaker: { maxRequests: 1, interval: "30s", timeout: "20s", trip: "consecutiveFailures >= 5" },
    },
  },
  targets: {
    apps: Object.fromEntries(["backend", "event-processor", "reminder-scheduler", "notification", "websocket", "target"].map((id) => [id, { retry: "invocationRetry", timeout: "invocation", circuitBreaker: "appBreaker" }])),
    components: Object.fromEntries(["pubsub", "pubsub-per-replica"].map((c) => [c, { inbound: { retry: "deliveryRetry", timeout: "delivery", circuitBreaker: "deliveryBreaker" } }])),
  },
};

/** The deployed resources with the old Resiliency and Redis' defaults (10 workers, unbounded), as deployed before. */
export function beforeResources(): DaprObject[] {
  return localDaprResources().map((r) => {
    if (r.kind === "Resiliency") return { ...r, spec: BEFORE_RESILIENCY };
    if (r.kind === "Component" && r.spec.type === "pubsub.redis") {
      const metadata = (r.spec.metadata as Array<{ name: string }>).filter((m) => !["concurrency", "maxLenApprox", "processingTimeout"].includes(m.name));
      return { ...r, spec: { ...r.spec, metadata } };
    }
    return r;
  });
}
