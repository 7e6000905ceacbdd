import { runner } from "node-pg-migrate";

/**
 * Applies a service's versioned migrations (node-pg-migrate) into the service's own schema, so the
 * services can share one PostgreSQL without sharing tables. Safe to run from several replicas at once
 * (node-pg-migrate takes an advisory lock; the others wait for it rather than fail, so replicas that start
 * together all come up).
 */
export async function migrate(opts: { databaseUrl: string; dir: string; schema: string; log?: (msg: string) => void }): Promise<void> {
  await runner({
    databaseUrl: opts.databaseUrl,
    dir: opts.dir,
    direction: "up",
    migrationsTable: "pgmigrations",
    schema: opts.schema,
    createSchema: true,
    ignorePattern: "(\\..*)|(.*\\.map$)|(.*\\.d\\.ts$)",
    log: opts.log ?? (() => undefined),
    noLock: false,
    advisoryLockMode: "wait",
  });
}
