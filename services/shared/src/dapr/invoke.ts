import { sidecarUrl, type SidecarAddress } from "./sidecar";
import type { AppId } from "@todo/contracts/topology";

export interface InvokeResult {
  status: number;
  body: unknown;
}

/**
 * Dapr service invocation over the sidecar's HTTP API. Plain fetch rather than the SDK's invoker so
 * the caller sees the target's real status code (404 vs 5xx decide DROP vs RETRY).
 */
export async function invokeService(
  cfg: SidecarAddress,
  appId: AppId,
  method: string,
  init: { httpMethod?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<InvokeResult> {
  const res = await fetch(`${sidecarUrl(cfg)}/v1.0/invoke/${appId}/method/${method.replace(/^\//, "")}`, {
    method: init.httpMethod ?? "GET",
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(init.timeoutMs ?? 5000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body };
}
