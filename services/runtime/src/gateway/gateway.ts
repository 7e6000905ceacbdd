import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";
import { createProxyServer } from "http-proxy-3";
import type { Logger } from "../../../shared/src/telemetry/logger";
import type { AppId } from "@todo/contracts/topology";
import { ingressRoutes, routeFor } from "./ingress-routes";
import type { ReadinessReport } from "./readiness";

export interface GatewayOptions {
  port: number;
  host?: string;
  /**
   * Port of the metrics listener, always on loopback (0 = any free one; absent = none). `/metrics/<app-id>`
   * lives there, never on the public port: the cluster too scrapes each pod directly, not via the Ingress.
   */
  metricsPort?: number;
  /** Where an app listens now, or undefined when it is not part of this runtime. */
  serviceUrl: (appId: AppId) => string | undefined;
  readiness: () => Promise<ReadinessReport>;
  log: Logger;
  /** How long `stop` lets requests in flight finish before it cuts them (default 10 s). */
  drainMs?: number;
}

export interface RunningGateway {
  port: number;
  url: string;
  /** e.g. http://127.0.0.1:9464 — `GET /metrics/<app-id>` (when a metrics port was asked for). */
  metricsUrl?: string;
  /**
   * Stops listening at once, lets the requests in flight finish (at most `drainMs`), then closes every
   * connection, WebSockets included (their clients reconnect, as behind an Ingress that restarts).
   */
  stop(): Promise<void>;
}

// The gateway's own answers get the headers the services' answers get from helmet (service-app.ts).
const OWN_ANSWER_HEADERS = { "x-content-type-options": "nosniff", "cache-control": "no-store", "content-security-policy": "default-src 'none'; frame-ancestors 'none'", "x-frame-options": "DENY", "referrer-policy": "no-referrer" };

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { ...OWN_ANSWER_HEADERS, ...headers, "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/** The gateway's own routes answer GET (and HEAD) only: anything else is 405 with Allow. */
function refuseMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === "GET" || req.method === "HEAD") return false;
  sendJson(res, 405, errorBody("method_not_allowed", `${req.method} is not allowed; allowed: GET, HEAD`), { allow: "GET, HEAD" });
  return true;
}

const errorBody = (code: string, message: string) => ({ error: { code, message, details: null } });

const FORWARDED_HEADERS = /^(x-forwarded-|x-real-ip$|forwarded$)/;

/**
 * The gateway is the edge: whatever forwarding headers a client sent are dropped before `xfwd` writes
 * the real peer address. The services trust X-Forwarded-For from loopback (this gateway), so a kept
 * client value would let anyone pick the address a per-address limit counts. Traefik does the same for
 * peers outside `forwardedHeaders.trustedIPs` (traefik v3.5.0, pkg/middlewares/forwardedheaders/
 * forwarded_header.go: ServeHTTP deletes every X-Forwarded-* and X-Real-Ip, then the proxy appends).
 */
function dropClientForwarding(req: IncomingMessage): void {
  for (const name of Object.keys(req.headers)) if (FORWARDED_HEADERS.test(name)) delete req.headers[name];
}

/** A request's headers and whole body must arrive within these (Node answers 408 and closes otherwise). */
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Open client connections: each proxied one also holds an upstream socket, so 2 descriptors (a process often has 20,000 at most). */
const MAX_CONNECTIONS = 4096;

/**
 * Slowloris bounds: a client dripping its headers or body is cut after the timeouts (Node's defaults
 * are 60 s and 300 s), and past MAX_CONNECTIONS new connections are closed at once instead of the
 * process running out of file descriptors.
 */
function boundSlowClients(server: Server): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;
}

/**
 * How long an idle upstream connection is kept: Traefik's default (v3.5.3 `pkg/config/static/static_config.go`,
 * serversTransport idleConnTimeout 90 s), below the services' keep-alive (run-service.ts), so the gateway
 * closes it first. Node applies a server's `Keep-Alive: timeout=` hint only to an agent that has a timeout
 * of its own (Node 20 `_http_agent.js` keepSocketAlive); without one a free socket is kept until the
 * server closes it.
 */
export const INGRESS_IDLE_CONN_TIMEOUT_MS = 90_000;

/**
 * The one public port, in the role of the cluster Ingress: routes by path prefix from topology.ts,
 * proxies WebSocket upgrades on /ws, never forwards /internal/* or /metrics, and adds the runtime's own
 * `/readyz` and `/healthz`. `/metrics/<app-id>` is on a second, loopback-only listener.
 */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const routes = ingressRoutes();
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: 120_000 });
  // Without an agent http-proxy opens a new connection per request (and sends `Connection: close`),
  // which cost more than half of the API's throughput in `npm run bench`; an Ingress keeps them alive.
  // No cap on sockets in use: a request holds its upstream socket until its body has arrived, so with
  // a cap (it was 256) 300 clients sending bodies slowly held every socket and the whole API stalled
  // behind them. Slow clients are bounded at the listener instead (see boundSlowClients).
  const upstream = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, timeout: INGRESS_IDLE_CONN_TIMEOUT_MS });
  proxy.on("error", (err, _req, target) => {
    opts.log.warn({ err: err.message }, "proxy error");
    if (target && "writeHead" in target) sendJson(target as ServerResponse, 502, errorBody("bad_gateway", "the service did not answer"));
    else (target as Socket | undefined)?.destroy();
  });

  // Counted so that stop() can wait for them; upgraded sockets are tracked to be closed at stop.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const upgraded = new Set<Socket>();

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    dropClientForwarding(req);
    const path = new URL(req.url ?? "/", "http://gateway").pathname;
    if (path === "/healthz") return void (refuseMethod(req, res) || sendJson(res, 200, { status: "ok" }));
    if (path === "/readyz") {
      if (refuseMethod(req, res)) return;
      const report = await opts.readiness();
      return sendJson(res, report.ready ? 200 : 503, { status: report.ready ? "ready" : "not ready", checks: report.checks });
    }
    // Not even the frontend's own /metrics (it sits behind "/"): metrics are for the loopback listener.
    if (isMetricsPath(path)) return sendJson(res, 404, errorBody("not_found", `no route for ${path}`));
    const appId = routeFor(routes, path);
    if (!appId) return sendJson(res, 404, errorBody("not_found", `no route for ${path}`));
    const target = opts.serviceUrl(appId);
    if (!target) return sendJson(res, 503, errorBody("service_unavailable", `${appId} is not running in this runtime`));
    proxy.web(req, res, { target, agent: upstream });
  };

  const server: Server = createServer((req, res) => {
    inFlight++;
    res.once("close", () => {
      if (--inFlight === 0) drained?.();
    });
    onRequest(req, res).catch((err) => {
      opts.log.error({ err }, "gateway request failed");
      sendJson(res, 500, errorBody("internal", "internal error"));
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    dropClientForwarding(req);
    const path = new URL(req.url ?? "/", "http://gateway").pathname;
    const appId = routeFor(routes, path);
    const target = appId === "websocket" ? opts.serviceUrl(appId) : undefined;
    if (!target) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
    proxy.ws(req, socket, head, { target });
  });
  boundSlowClients(server);
  await listenOn(server, opts.port, opts.host);
  const port = (server.address() as AddressInfo).port;

  // Straight to the service's /metrics with no X-Forwarded-For: the services refuse proxied metrics
  // requests (service-app.ts), which is what keeps them off the public route.
  const metricsServer = opts.metricsPort === undefined ? undefined : createServer((req, res) => {
    dropClientForwarding(req);
    if (refuseMethod(req, res)) return;
    const metrics = /^\/metrics\/([a-z-]+)$/.exec(new URL(req.url ?? "/", "http://gateway").pathname);
    const target = metrics ? opts.serviceUrl(metrics[1] as AppId) : undefined;
    if (!target) return sendJson(res, 404, errorBody("not_found", "GET /metrics/<app-id> of a running service"));
    req.url = "/metrics";
    proxy.web(req, res, { target, agent: upstream, xfwd: false });
  });
  if (metricsServer) {
    try {
      await listenOn(metricsServer, opts.metricsPort!, "127.0.0.1");
    } catch (err) {
      // e.g. METRICS_PORT taken by another `npm start`: leave nothing listening behind.
      server.close();
      proxy.close();
      upstream.destroy();
      throw err;
    }
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    ...(metricsServer ? { metricsUrl: `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}` } : {}),
    stop: async () => {
      const closed = [server, ...(metricsServer ? [metricsServer] : [])].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      // close() refuses new connections and closes the idle keep-alive ones; answers still owed finish.
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const deadline = setTimeout(resolve, opts.drainMs ?? 10_000);
          drained = () => {
            clearTimeout(deadline);
            resolve();
          };
        });
      }
      for (const s of [server, metricsServer]) s?.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      proxy.close();
      upstream.destroy();
      await Promise.all(closed);
    },
  };
}

function isMetricsPath(path: string): boolean {
  return path === "/metrics" || path.startsWith("/metrics/");
}

function listenOn(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
}
