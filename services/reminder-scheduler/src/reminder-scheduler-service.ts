import { join } from "node:path";
import { sidecarReadiness } from "../../shared/src/dapr/sidecar";
import { createLogger } from "../../shared/src/telemetry/logger";
import { createServiceApp } from "../../shared/src/http/service-app";
import { databaseReadiness } from "../../shared/src/db/pool";
import { initMetrics } from "../../shared/src/telemetry/registry";
import { JobsClient } from "../../shared/src/dapr/jobs";
import { listen, type RunningService } from "../../shared/src/http/run-service";
import { openServiceDatabase } from "../../shared/src/db/service-database";
import type { ReminderSchedulerConfig } from "./config";
import { ReminderJobs } from "./reminder-jobs";
import { jobCallbackRouter } from "./routes/job-callback";
import { reminderEventsRouter } from "./routes/reminder-events";
import { sweepRouter } from "./routes/sweep";

export const SCHEMA = "reminder_scheduler";

export async function start(config: ReminderSchedulerConfig): Promise<RunningService> {
  const log = createLogger("reminder-scheduler", config.LOG_LEVEL);
  initMetrics("reminder-scheduler");
  const pool = await openServiceDatabase(config, { schema: SCHEMA, migrationsDir: join(__dirname, "migrations"), log });
  const jobs = new JobsClient(config);
  const reminders = new ReminderJobs({
    pool,
    jobs,
    sidecar: config,
    log,
    sweepBatchSize: config.SWEEP_BATCH_SIZE,
  });
  const app = createServiceApp({
    log,
    appId: "reminder-scheduler",
    readiness: { database: databaseReadiness(pool), sidecar: sidecarReadiness(config) },
    routes: [reminderEventsRouter(reminders, log, { pool, jobs }), jobCallbackRouter(reminders), sweepRouter(reminders)],
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
