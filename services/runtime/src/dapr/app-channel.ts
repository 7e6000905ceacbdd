import { setMaxListeners } from "node:events";
/**
 * The sidecar → app channel: one HTTP call to an app, reduced to what the caller decides on. A refused
 * or reset connection is "unavailable" (the app is not up: a restart, a crash), kept apart from an
 * answer the app gave, because deliveries and job callbacks wait much longer for an app to come back
 * than they retry an app that answers with an error.
 */
export type AppCallResult =
  | { kind: "answered"; status: number; body: string; headers: Headers }
  | { kind: "unavailable"; reason: string }
  /** The app took the request but did not answer in time, or the call broke in another way. */
  | { kind: "failed"; reason: string };

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "UND_ERR_SOCKET"]);

export async function callApp(
  baseUrl: string | undefined,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number; signal?: AbortSignal },
): Promise<AppCallResult> {
  if (!baseUrl) return { kind: "unavailable", reason: "app is not registered with the sidecar" };
  try {
    const res = await fetch(`${baseUrl}${path.startsWith("/") ? path : `/${path}`}`, {
      method: init.method ?? "POST",
      headers: init.headers,
      body: typeof init.body === "string" || init.body === undefined ? init.body : new Uint8Array(init.body),
      signal: init.signal ?? AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
    return { kind: "answered", status: res.status, body: await res.text(), headers: res.headers };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    return { kind: cause?.code && CONNECTION_ERRORS.has(cause.code) ? "unavailable" : "failed", reason };
  }
}

/** A sleep that a stop can cut short (resolves false when stopped). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** An AbortController whose signal takes any number of listeners without Node's leak warning. */
export function unboundedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
