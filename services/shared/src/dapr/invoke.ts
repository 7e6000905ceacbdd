import { callSidecar, type SidecarAddress } from "./sidecar";
import type { AppId } from "@todo/contracts/topology";

export interface InvokeResult {
  status: number;
  body: unknown;
}

/**
 * Dapr service invocation over the sidecar's HTTP API, so the caller sees the target's real status code
 * (404 vs 5xx decide DROP vs RETRY).
 */
export async function invokeService(
  cfg: SidecarAddress,
  appId: AppId,
  method: string,
  init: { httpMethod?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<InvokeResult> {
  const res = await callSidecar(cfg, init.httpMethod ?? "GET", `/v1.0/invoke/${appId}/method/${method.replace(/^\//, "")}`, {
    headers: init.headers,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    timeoutMs: init.timeoutMs ?? 5000,
  });
  const text = res.text;
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body };
}
