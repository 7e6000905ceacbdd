import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { startEmbeddedDatabase } from "../database/embedded-database";

/** The fields of PostgreSQL's `postmaster.pid` this needs. */
export interface PostmasterPid {
  pid: number;
  port: number;
}

/**
 * Reads `postmaster.pid`: line 1 is the postmaster's PID, line 4 its port (postgres
 * src/include/utils/pidfile.h, REL_18: LOCK_FILE_LINE_PID 1, LOCK_FILE_LINE_PORT 4). Undefined when the
 * file is cut short (a server still starting writes it in steps).
 */
export function parsePostmasterPid(text: string): PostmasterPid | undefined {
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { pid, port };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // someone else's process, but alive (root's `npm start`)
  }
}

export interface LocatedDatabase {
  url: string;
  /** Where it is, for the progress output. */
  description: string;
  /** Stops the embedded server if this process started it; otherwise nothing. */
  release(): Promise<void>;
}

/**
 * The database `npm start` uses: `DATABASE_URL` when set; else the embedded one in `DATA_DIR` — the
 * server a running `npm start` owns (found through its postmaster.pid, so a backup runs beside it and
 * never stops it), or, when none runs, one started here for the length of the command (restore:
 * initialised first in a fresh DATA_DIR, as `npm start` would).
 */
export async function locateDatabase(opts: { databaseUrl?: string; dataDir: string; mustExist: boolean; log: Logger }): Promise<LocatedDatabase> {
  if (opts.databaseUrl) {
    const shown = new URL(opts.databaseUrl);
    shown.password = "";
    return { url: opts.databaseUrl, description: shown.toString(), release: async () => undefined };
  }
  const pgDir = join(opts.dataDir, "postgres");
  const pidFile = join(pgDir, "postmaster.pid");
  const running = existsSync(pidFile) ? parsePostmasterPid(readFileSync(pidFile, "utf8")) : undefined;
  if (running && alive(running.pid)) {
    const password = readFileSync(join(opts.dataDir, "postgres-password"), "utf8").trim();
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${running.port}/todo`,
      description: `the embedded PostgreSQL of the running npm start (${opts.dataDir}, port ${running.port})`,
      release: async () => undefined,
    };
  }
  if (opts.mustExist && !existsSync(join(pgDir, "PG_VERSION"))) {
    throw new Error(`no embedded database in ${opts.dataDir} (set DATA_DIR or DATABASE_URL to the database to back up)`);
  }
  const db = await startEmbeddedDatabase({ dataDir: opts.dataDir, persistent: true, log: opts.log });
  return { url: db.url, description: `the embedded PostgreSQL in ${opts.dataDir}`, release: () => db.stop() };
}
