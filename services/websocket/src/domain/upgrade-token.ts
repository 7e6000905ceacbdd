/** Subprotocol a browser offers (`new WebSocket(url, ["bearer", jwt])`) and the server answers with. */
export const BEARER_PROTOCOL = "bearer";

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 4096;

export type UpgradeToken = { token: string; via: "query" | "subprotocol" };

/**
 * Finds the JWT of an upgrade request: `Sec-WebSocket-Protocol: bearer, <jwt>` (browsers cannot set an
 * Authorization header on a WebSocket) or `?token=<jwt>`. The header wins when both are present.
 * Only the shape is checked here; the signature is verified by the TokenService.
 */
export function tokenOfUpgrade(requestUrl: string, protocolHeader: string | undefined): UpgradeToken | null {
  const offered = (protocolHeader ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  const i = offered.indexOf(BEARER_PROTOCOL);
  const fromHeader = i >= 0 ? offered[i + 1] : undefined;
  if (fromHeader && isTokenShaped(fromHeader)) return { token: fromHeader, via: "subprotocol" };
  const fromQuery = new URL(requestUrl, "http://localhost").searchParams.get("token");
  if (fromQuery && isTokenShaped(fromQuery)) return { token: fromQuery, via: "query" };
  return null;
}

function isTokenShaped(s: string): boolean {
  return s.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(s);
}

export function pathOf(requestUrl: string): string {
  return new URL(requestUrl, "http://localhost").pathname;
}
