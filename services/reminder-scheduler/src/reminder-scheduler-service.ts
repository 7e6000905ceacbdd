import { join } from "node:path";
import {
  createDaprClient,
  createLogger,
  createPool,
  createServiceApp,
  databaseReadiness,
  initMetrics,
  JobsClient,
  listen,
  migrate,
  sidecarReadiness,
  type RunningService,
} from "../../shared/src";
import type { ReminderSchedulerConfig } from "./config";
import { ReminderJobs } from "./reminder-jobs";
import { jobCallbackRouter } from "./routes/job-callback";
import { reminderEventsRouter } from "./routes/reminder-events";
import { sweepRouter } from "./routes/sweep";

export const SCHEMA = "reminder_scheduler";

/** Every connection of the pool works in the service's own schema (tables are not schema-qualified). */
function inSchema(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

export async function start(config: ReminderSchedulerConfig): Promise<RunningService> {
  const log = createLogger("reminder-scheduler", config.LOG_LEVEL);
  initMetrics("reminder-scheduler");
  await migrate({ databaseUrl: config.DATABASE_URL, dir: join(__dirname, "migrations"), schema: SCHEMA, log: (m) => log.debug(m) });
  const pool = createPool(inSchema(config.DATABASE_URL, SCHEMA), config.DATABASE_POOL_MAX);
  const reminders = new ReminderJobs({
    pool,
    jobs: new JobsClient(config),
    dapr: createDaprClient(config),
    sidecar: config,
    log,
    sweepBatchSize: config.SWEEP_BATCH_SIZE,
  });
  const app = createServiceApp({
    log,
    readiness: { database: databaseReadiness(pool), sidecar: sidecarReadiness(config) },
    routes: [reminderEventsRouter(reminders, log), jobCallbackRouter(reminders), sweepRouter(reminders)],
  });
  // The DaprClient is not stopped: its HTTP agents are static (shared by every client in the process).
  return listen({
    port: config.PORT,
    host: config.HOST,
    log,
    handler: app,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_S * 1000,
    closers: [() => pool.end()],
  });
}
