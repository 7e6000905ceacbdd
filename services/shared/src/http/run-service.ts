import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestListener } from "node:http";
import type { Logger } from "../telemetry/logger";

export interface RunningService {
  server: Server;
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  /** Stop accepting, drain in-flight requests (up to the timeout), then run the service's own closers. */
  stop(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host?: string;
  log: Logger;
  handler: RequestListener;
  /** Closed after the HTTP server has drained, in order (relay, consumers, pools). */
  closers?: Array<() => Promise<void> | void>;
  shutdownTimeoutMs?: number;
  /** Lets the websocket service attach its upgrade handler. */
  onServer?: (server: Server) => void;
}

/**
 * How long a service keeps an idle keep-alive connection: longer than every client that keeps idle
 * connections to it, so that the client, not the service, closes one. When the service closes first, a
 * request the client sends at that moment fails, and Go's transport resends only replayable requests:
 * Traefik answers such a POST with 502. Traefik v3.5.3 keeps idle upstream connections 90 s
 * (`pkg/config/static/static_config.go`, serversTransport idleConnTimeout), and daprd v1.18.3's app
 * channel is a clone of Go's `http.DefaultTransport`, also 90 s (`pkg/runtime/channels/channels.go`).
 * The local gateway and sidecar keep theirs as long (gateway.ts, app-channel.ts).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 95_000;

/** Listens on a port (0 = any free one) and returns the address, so tests start services in-process. */
export async function listen(opts: ListenOptions): Promise<RunningService> {
  const server = createServer(opts.handler);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  opts.onServer?.(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = new Promise<void>((resolve) =>
        setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, opts.shutdownTimeoutMs ?? 10_000).unref(),
      );
      await Promise.race([closed, timeout]);
      for (const close of opts.closers ?? []) {
        try {
          await close();
        } catch (err) {
          opts.log.error({ err }, "error during shutdown");
        }
      }
    })());
  return { server, url, port, stop };
}

/** For a service's main: stop cleanly on SIGTERM/SIGINT and exit. */
export function stopOnSignals(service: RunningService, log: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, "shutting down");
    service.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
