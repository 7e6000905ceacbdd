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
import type { BackendConfig } from "./config";
import { AuthThrottle } from "./data/auth-throttle";
import { TaskWriteThrottle } from "./data/task-write-throttle";
import { InFlightWrites } from "./domain/in-flight-writes";
import { PasswordHashQueue } from "./domain/password-hash-queue";
import { OutboxRelay } from "./outbox/relay";
import { accountRoutes } from "./routes/account-routes";
import { authRoutes } from "./routes/auth-routes";
import { exportRoutes } from "./routes/export-routes";
import { historyRoutes } from "./routes/history-routes";
import { internalRoutes } from "./routes/internal-routes";
import { taskRoutes } from "./routes/task-routes";
import { TaskCommands } from "./task-commands";

export const SCHEMA = "backend";

/**
 * Starts the backend: migrations, the JWT secret from the Dapr secret store, the HTTP API and the
 * outbox relay. `stop()` drains HTTP, then stops the relay (after its in-flight publish), then the pool.
 */
export async function start(config: BackendConfig): Promise<RunningService> {
  const log = createLogger("backend", config.LOG_LEVEL);
  initMetrics("backend");
  const pool = await openServiceDatabase(config, { schema: SCHEMA, migrationsDir: join(__dirname, "migrations"), log });
  try {
    const tokens = new TokenService(await readSecret(config, JWT_SECRET_NAME));
    const relay = new OutboxRelay({ pool, sidecar: config, log, pollMs: config.OUTBOX_POLL_MS, retentionHours: config.OUTBOX_RETENTION_HOURS });
    const commands = new TaskCommands(pool, () => relay.kick());
    const authGuards = {
      throttle: new AuthThrottle(pool, {
        failuresPerAccount: config.AUTH_FAILURES_PER_ACCOUNT,
        failuresPerAddress: config.AUTH_FAILURES_PER_ADDRESS,
        failureWindowS: config.AUTH_FAILURE_WINDOW_S,
        attemptsPerAddressPerMinute: config.AUTH_ATTEMPTS_PER_ADDRESS_PER_MINUTE,
      }),
      hashes: new PasswordHashQueue(config.PASSWORD_HASH_CONCURRENCY, config.PASSWORD_HASH_QUEUE),
    };
    const app = createServiceApp({
      log,
      readiness: { database: databaseReadiness(pool), sidecar: sidecarReadiness(config) },
      routes: [authRoutes(pool, tokens, authGuards), accountRoutes(pool, tokens, () => relay.kick(), authGuards), historyRoutes(config, tokens, pool), exportRoutes(config, tokens, pool), taskRoutes(pool, tokens, commands, { tasksPerUser: config.MAX_TASKS_PER_USER, writes: new TaskWriteThrottle(config.TASK_WRITES_PER_MINUTE), inFlight: new InFlightWrites(config.TASK_WRITES_RUNNING_PER_USER, config.TASK_WRITES_WAITING_PER_USER) }), internalRoutes(pool, commands)],
    });
    const service = await listen({
      port: config.PORT,
      host: config.HOST,
      log,
      handler: app,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_S * 1000,
      closers: [() => relay.stop(), () => pool.end()],
    });
    // Only once listening: should listen fail (port taken), no relay is left polling a closed pool.
    relay.start();
    return service;
  } catch (err) {
    await pool.end();
    throw err;
  }
}
