import { ConfigError } from "../../shared/src/config";
import { loadRuntimeConfig } from "./config";
import { startLocalRuntime, type LocalRuntime } from "./local-runtime";

/**
 * `npm start`: the whole Todo Platform on this machine. Prints the URL once `/readyz` answers 200 and
 * stops everything it started (services, sidecars, PostgreSQL) on Ctrl-C or SIGTERM.
 */
async function main(): Promise<void> {
  const cfg = loadRuntimeConfig();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the Todo Platform…\n`);
    // A signal during start-up waits for the start to finish, then stops what it started; a second
    // signal while stopping is ignored, so the children are never orphaned half-way.
    // (Signals are handled from the event loop, after `starting` below is assigned.)
    const done = starting.then((r) => r.stop(), () => undefined);
    done.then(
      () => {
        process.stdout.write("stopped\n");
        process.exit(0);
      },
      (err) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGHUP", () => shutdown("SIGHUP")); // terminal closed: the default would orphan the services

  process.stdout.write(`Starting the Todo Platform (data in ${cfg.DATA_DIR})…\n`);
  const starting: Promise<LocalRuntime> = startLocalRuntime({
    port: cfg.PORT,
    host: cfg.HOST,
    metricsPort: cfg.METRICS_PORT,
    databaseUrl: cfg.DATABASE_URL,
    dataDir: cfg.DATA_DIR,
    logLevel: cfg.LOG_LEVEL,
    waitForReady: false,
  });
  const runtime = await starting;
  if (stopping) return;
  let lastReport = 0;
  for (;;) {
    const report = await runtime.readiness();
    if (stopping) return;
    if (report.ready) break;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      const waiting = Object.entries(report.checks).filter(([, r]) => r !== "ok").map(([name, r]) => `${name} (${r})`);
      process.stdout.write(`waiting for: ${waiting.join(", ")}\n`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const where = cfg.HOST === "127.0.0.1" || cfg.HOST === "localhost" ? "localhost" : cfg.HOST;
  process.stdout.write(`\nTodo Platform is ready on http://${where}:${runtime.port} (metrics: ${runtime.metricsUrl}/metrics/<service>)\n\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
