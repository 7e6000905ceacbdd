import { join } from "node:path";
import { createLogger } from "../../shared/src/telemetry/logger";
import { createServiceApp } from "../../shared/src/http/service-app";
import { databaseReadiness } from "../../shared/src/db/pool";
import { initMetrics } from "../../shared/src/telemetry/registry";
import { listen, type RunningService } from "../../shared/src/http/run-service";
import { openServiceDatabase } from "../../shared/src/db/service-database";
import { JWT_SECRET_NAME } from "../../shared/src/auth/tokens";
import { readSecret } from "../../shared/src/dapr/secrets";
import { sidecarReadiness } from "../../shared/src/dapr/sidecar";
import { SCHEMA, type EventProcessorConfig } from "./config";
import { AccountErasureConsumer } from "./consumers/account-erasure-consumer";
import { AuditConsumer } from "./consumers/audit-consumer";
import { RecurringTaskConsumer } from "./consumers/recurring-task-consumer";
import { BackendTasksClient } from "./clients/backend-tasks";
import { taskEventsRouter } from "./routes/task-events-route";
import { deadLettersRouter } from "./routes/dead-letters-route";
import { historyRouter } from "./routes/history-route";
import { accountsRouter } from "./routes/accounts-route";

export const APP_ID = "event-processor";

/** Migrates, then serves the subscriptions and internal routes; `port: 0` for tests. */
export async function start(config: EventProcessorConfig): Promise<RunningService> {
  const log = createLogger(APP_ID, config.LOG_LEVEL);
  initMetrics(APP_ID);
  const pool = await openServiceDatabase(config, { schema: SCHEMA, migrationsDir: join(__dirname, "migrations"), log });

  // Read on first use of an operator route, so the service starts without waiting for the secret store.
  let secret: Promise<string> | undefined;
  const operatorSecret = () => (secret ??= readSecret(config, JWT_SECRET_NAME, JWT_SECRET_NAME, 3).catch((err) => {
    secret = undefined;
    throw err;
  }));
  const audit = new AuditConsumer(pool);
  const recurrence = new RecurringTaskConsumer(pool, new BackendTasksClient(config), log);
  const app = createServiceApp({
    log,
    appId: "event-processor",
    readiness: { database: databaseReadiness(pool), sidecar: sidecarReadiness(config) },
    routes: [
      taskEventsRouter({ audit, recurrence, log }),
      deadLettersRouter({ pool, log, sidecar: config, operatorSecret }),
      historyRouter({ pool }),
      accountsRouter({ erasure: new AccountErasureConsumer(pool), log }),
    ],
  });
  return listen({
    port: config.PORT,
    host: config.HOST,
    log,
    handler: app,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_S * 1000,
    closers: [() => pool.end()],
  });
}
