import { join } from "node:path";
import { sidecarReadiness } from "../../shared/src/dapr/sidecar";
import { createLogger } from "../../shared/src/telemetry/logger";
import { createServiceApp } from "../../shared/src/http/service-app";
import { databaseReadiness } from "../../shared/src/db/pool";
import { initMetrics } from "../../shared/src/telemetry/registry";
import { JWT_SECRET_NAME, TokenService } from "../../shared/src/auth/tokens";
import { listen, type RunningService } from "../../shared/src/http/run-service";
import { openServiceDatabase } from "../../shared/src/db/service-database";
import { readSecret } from "../../shared/src/dapr/secrets";
import { SCHEMA, type NotificationConfig } from "./config";
import { ReminderConsumer } from "./consumers/reminder-consumer";
import { WebhookNotifier } from "./webhook/webhook-notifier";
import { remindersRouter } from "./routes/reminders-route";
import { notificationsRouter } from "./routes/notifications-route";

export const APP_ID = "notification";

/** Reads the JWT secret from the sidecar, migrates, then serves; `port: 0` for tests. */
export async function start(config: NotificationConfig): Promise<RunningService> {
  const log = createLogger(APP_ID, config.LOG_LEVEL);
  initMetrics(APP_ID);
  const tokens = new TokenService(await readSecret(config, JWT_SECRET_NAME));
  const pool = await openServiceDatabase(config, { schema: SCHEMA, migrationsDir: join(__dirname, "migrations"), log });

  const webhook = config.NOTIFICATION_WEBHOOK_URL ? new WebhookNotifier(config.NOTIFICATION_WEBHOOK_URL, config.NOTIFICATION_WEBHOOK_TIMEOUT_MS, log) : null;
  const consumer = new ReminderConsumer(pool, config, log, webhook ? (n) => webhook.notify(n) : undefined);
  const app = createServiceApp({
    log,
    appId: "notification",
    readiness: { database: databaseReadiness(pool), sidecar: sidecarReadiness(config) },
    routes: [remindersRouter({ consumer, log, pool }), notificationsRouter({ pool, tokens })],
  });
  return listen({
    port: config.PORT,
    host: config.HOST,
    log,
    handler: app,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_S * 1000,
    closers: [() => webhook?.drain(), () => pool.end()],
  });
}
