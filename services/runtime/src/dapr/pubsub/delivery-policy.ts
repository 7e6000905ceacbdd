import { deliveryRetry } from "../../../../shared/src/topology";

/**
 * How long the local sidecar keeps trying one delivery. App-level failures (`{"status":"RETRY"}`, a
 * 5xx, a timeout) follow `deliveryRetry` from topology.ts, the same numbers the cluster's Resiliency
 * policy uses, then the event is dead-lettered. An app that cannot be reached at all (connection
 * refused while its process restarts) is waited for much longer — `appUnavailableTimeoutMs`, default
 * five minutes — because in a cluster the broker simply keeps the message until the consumer is back;
 * only then is it dead-lettered, so a restart of a few seconds loses nothing.
 */
export interface DeliveryPolicy {
  initialIntervalMs: number;
  maxIntervalMs: number;
  maxRetries: number;
  appUnavailableTimeoutMs: number;
  /** Per-attempt request timeout; a subscriber that does not answer in time is retried. */
  requestTimeoutMs: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  ...deliveryRetry,
  appUnavailableTimeoutMs: 5 * 60_000,
  requestTimeoutMs: 30_000,
};

export type DeliveryVerdict = "success" | "retry" | "drop";

/** Dapr's reading of a subscriber's answer: 2xx + SUCCESS/empty → done, 404 or DROP → dead letter, else retry. */
export function verdictOf(status: number, body: string): DeliveryVerdict {
  if (status === 404) return "drop";
  if (status < 200 || status >= 300) return "retry";
  if (body.trim() === "") return "success";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return "success"; // Dapr skips the status check when a 2xx body is not JSON
  }
  const reported = typeof parsed === "object" && parsed !== null ? (parsed as { status?: unknown }).status : undefined;
  if (reported === undefined || reported === null || reported === "" || reported === "SUCCESS") return "success";
  if (reported === "DROP") return "drop";
  return "retry"; // RETRY, or a status Dapr does not know
}
