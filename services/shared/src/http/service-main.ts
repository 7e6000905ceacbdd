import type { z } from "zod";
import { ConfigError, loadConfig } from "../config";
import { createLogger } from "../telemetry/logger";
import { stopOnSignals, type RunningService } from "./run-service";
import { stopWithParent } from "./stop-with-parent";

/**
 * A service's process entry: its config from the environment (a bad value stops the process naming
 * the variable), `start`, one "listening" line, a clean stop on SIGTERM/SIGINT. Any start-up failure
 * is one fatal log line and exit code 1, so an orchestrator restarts it instead of leaving it half up.
 */
export function runServiceMain<S extends z.ZodObject>(
  appId: string,
  schema: S,
  start: (config: z.infer<S>) => Promise<RunningService>,
): void {
  let log = createLogger(appId);
  void (async () => {
    const config = loadConfig(schema);
    stopWithParent(log);
    if (typeof config.LOG_LEVEL === "string") log = createLogger(appId, config.LOG_LEVEL);
    const service = await start(config);
    log.info({ url: service.url }, `${appId} listening`);
    stopOnSignals(service, log);
  })().catch((err: unknown) => {
    // A config error's message names the variable; its stack would only bury that.
    log.fatal({ err: err instanceof ConfigError ? err.message : err }, `${appId} failed to start`);
    process.exit(1);
  });
}
