import { join } from "node:path";
import {
  createDaprClient,
  createLogger,
  createPool,
  createServiceApp,
  databaseReadiness,
  initMetrics,
  JWT_SECRET_NAME,
  listen,
  migrate,
  readSecret,
  sidecarReadiness,
  TokenService,
  type RunningService,
} from "../../shared/src";
import { SCHEMA, type NotificationConfig } from "./config";
import { schemaDatabaseUrl } from "./data/database";
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
  await migrate({ databaseUrl: config.DATABASE_URL, dir: join(__dirname, "migrations"), schema: SCHEMA, log: (m) => log.debug(m) });
  const pool = createPool(schemaDatabaseUrl(config.DATABASE_URL, SCHEMA), config.DATABASE_POOL_MAX);

  const webhook = config.NOTIFICATION_WEBHOOK_URL ? new WebhookNotifier(config.NOTIFICATION_WEBHOOK_URL, config.NOTIFICATION_WEBHOOK_TIMEOUT_MS, log) : null;
  // The DaprClient is not stopped on shutdown: its HTTP agent is shared by every client in the process.
  const consumer = new ReminderConsumer(pool, createDaprClient(config), log, webhook ? (n) => webhook.notify(n) : undefined);
  const app = createServiceApp({
    log,
    readiness: { database: databaseReadiness(pool), sidecar: sidecarReadiness(config) },
    routes: [remindersRouter({ consumer, log }), notificationsRouter({ pool, tokens })],
  });
  const service = await listen({
    port: config.PORT,
    host: config.HOST,
    log,
    handler: app,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_S * 1000,
    closers: [() => webhook?.drain(), () => pool.end()],
  });
  log.info({ port: service.port, webhook: Boolean(webhook) }, "notification listening");
  return service;
}
