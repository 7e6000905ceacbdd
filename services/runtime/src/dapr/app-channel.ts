import { setMaxListeners } from "node:events";
import { Agent, request, type IncomingHttpHeaders } from "node:http";
/**
 * The sidecar → app channel: one HTTP call to an app, reduced to what the caller decides on. A refused
 * or reset connection is "unavailable" (the app is not up: a restart, a crash), kept apart from an
 * answer the app gave, because deliveries and job callbacks wait much longer for an app to come back
 * than they retry an app that answers with an error.
 */
export type AppCallResult =
  | { kind: "answered"; status: number; body: string; headers: IncomingHttpHeaders }
  | { kind: "unavailable"; reason: string }
  /** The app took the request but did not answer in time, or the call broke in another way. */
  | { kind: "failed"; reason: string };

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);
/**
 * An app's answer beyond this fails the call. daprd means to cap answers at `--max-body-size` (4Mi) but
 * shifts the byte count by 20 bits a second time (dapr v1.18.3 `pkg/channel/http/http_channel.go`
 * parseChannelResponse), so in practice it reads any size; ours keeps the runtime's memory bounded.
 */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * How long an idle connection to an app is kept: daprd's app channel is a clone of Go's
 * `http.DefaultTransport` (dapr v1.18.3 `pkg/runtime/channels/channels.go`), whose IdleConnTimeout is
 * 90 s; below the services' keep-alive (run-service.ts), so the sidecar closes it first.
 */
export const APP_CHANNEL_IDLE_CONN_TIMEOUT_MS = 90_000;

/**
 * node:http over one keep-alive agent, not fetch: every delivery, job callback and invocation crosses
 * this channel, and undici's fetch cost about 230 µs more CPU per call than node:http on this machine
 * (client and server in one process, 4,000 POSTs each way; the runtime spent 4–5 % of its time in undici
 * under `npm run bench`'s create load).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: APP_CHANNEL_IDLE_CONN_TIMEOUT_MS });

export function callApp(
  baseUrl: string | undefined,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number; signal?: AbortSignal },
): Promise<AppCallResult> {
  if (!baseUrl) return Promise.resolve({ kind: "unavailable", reason: "app is not registered with the sidecar" });
  const url = new URL(`${baseUrl}${path.startsWith("/") ? path : `/${path}`}`);
  const body = init.body;
  const headers: Record<string, string | number> = { ...init.headers };
  if (body !== undefined) headers["content-length"] = Buffer.byteLength(body);
  return new Promise((resolve) => {
    const req = request(
      { agent, hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: init.method ?? "POST", headers, signal: init.signal ?? AbortSignal.timeout(init.timeoutMs ?? 30_000) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`the app's answer exceeds ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on("end", () => resolve({ kind: "answered", status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
        res.on("error", (err) => resolve(failure(err)));
      },
    );
    req.on("error", (err) => resolve(failure(err)));
    req.end(body);
  });
}

function failure(err: Error): AppCallResult {
  const code = (err as NodeJS.ErrnoException).code;
  return code && CONNECTION_ERRORS.has(code) ? { kind: "unavailable", reason: code } : { kind: "failed", reason: err.name === "AbortError" ? "aborted (timeout or stop)" : err.message };
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
