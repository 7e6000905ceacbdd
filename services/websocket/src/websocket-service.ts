import { createLogger } from "../../shared/src/telemetry/logger";
import { createServiceApp } from "../../shared/src/http/service-app";
import { initMetrics } from "../../shared/src/telemetry/registry";
import { JWT_SECRET_NAME, TokenService } from "../../shared/src/auth/tokens";
import { listen, type RunningService } from "../../shared/src/http/run-service";
import { readSecret } from "../../shared/src/dapr/secrets";
import { sidecarReadiness } from "../../shared/src/dapr/sidecar";
import type { WebsocketConfig } from "./config";
import { SocketHub } from "./live/socket-hub";
import { attachUpgradeHandler } from "./live/upgrade-handler";
import { eventRoutes } from "./routes/event-routes";

export async function start(config: WebsocketConfig): Promise<RunningService> {
  const log = createLogger("websocket", config.LOG_LEVEL);
  initMetrics("websocket");
  const tokens = new TokenService(await readSecret(config, JWT_SECRET_NAME));
  const hub = new SocketHub({
    log,
    heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
    maxBufferedBytes: config.MAX_BUFFERED_BYTES,
    recentEventIds: config.RECENT_EVENT_IDS,
    replay: {
      perUser: config.REPLAY_PER_USER,
      maxAgeMs: config.REPLAY_MAX_AGE_MS,
      maxFrames: config.REPLAY_MAX_FRAMES,
      maxBytes: config.REPLAY_MAX_BYTES,
      reorderMarginMs: config.REPLAY_REORDER_MARGIN_MS,
    },
    maxConnectionsPerUser: config.MAX_CONNECTIONS_PER_USER,
    maxMessagesPerMinute: config.MAX_MESSAGES_PER_MINUTE,
  });
  const app = createServiceApp({
    log,
    appId: "websocket",
    // No database: the service is ready when its sidecar is.
    readiness: { sidecar: sidecarReadiness(config) },
    routes: [eventRoutes(hub, log)],
    bodyLimit: "256kb",
  });
  const running = await listen({
    port: config.PORT,
    host: config.HOST,
    log,
    handler: app,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_S * 1000,
    onServer: (server) => attachUpgradeHandler(server, { tokens, hub, log }),
  });
  // Upgraded sockets keep the HTTP server from closing, so they are closed (1001) before it drains.
  let stopping: Promise<void> | undefined;
  return {
    ...running,
    stop: () =>
      (stopping ??= (async () => {
        await hub.shutdown();
        await running.stop();
      })()),
  };
}
