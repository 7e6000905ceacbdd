import { runner } from "node-pg-migrate";
import { z } from "zod";

/**
 * The process migrate() forks: runs the migrations and exits, so the service that asked never loads
 * node-pg-migrate (and jiti, its TypeScript loader) — ~12 MB of RSS it would keep for its whole life.
 */
/** What migrate() puts in MIGRATE_OPTIONS. */
const MigrateOptions = z.object({ databaseUrl: z.string().min(1), dir: z.string().min(1), schema: z.string().regex(/^[a-z_][a-z0-9_]*$/) });

async function main(): Promise<void> {
  const opts = MigrateOptions.parse(JSON.parse(process.env.MIGRATE_OPTIONS ?? "null"));
  await runner({
    databaseUrl: opts.databaseUrl,
    dir: opts.dir,
    direction: "up",
    migrationsTable: "pgmigrations",
    schema: opts.schema,
    createSchema: true,
    ignorePattern: "(\\..*)|(.*\\.map$)|(.*\\.d\\.ts$)",
    log: (msg: string) => process.send?.({ log: msg }),
    noLock: false,
    advisoryLockMode: "wait",
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
