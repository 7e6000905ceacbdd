import type pg from "pg";
import type { Logger } from "../telemetry/logger";
import { migrate } from "./migrate";
import { createPool } from "./pool";

/**
 * The service's connection string with the search path set to its own schema, so unqualified names
 * (including the `processed_events` table oncePerEvent uses) resolve to this service's tables.
 */
export function schemaDatabaseUrl(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

/**
 * A database service's start-up: its migrations into its own schema (app-id with `-` → `_`), then a
 * pool working in that schema.
 */
export async function openServiceDatabase(
  config: { DATABASE_URL: string; DATABASE_POOL_MAX: number },
  opts: { schema: string; migrationsDir: string; log: Logger },
): Promise<pg.Pool> {
  await migrate({ databaseUrl: config.DATABASE_URL, dir: opts.migrationsDir, schema: opts.schema, log: (m) => opts.log.debug(m) });
  return createPool(schemaDatabaseUrl(config.DATABASE_URL, opts.schema), config.DATABASE_POOL_MAX);
}
