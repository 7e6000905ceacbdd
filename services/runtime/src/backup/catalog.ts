import pg from "pg";
import type { ForeignKeyEdge } from "./load-order";

/** The name of the table node-pg-migrate keeps in every service schema (services/shared/src/db/migrate.ts). */
export const MIGRATIONS_TABLE = "pgmigrations";

export const quoted = (schema: string, name: string) => `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`;
export const columnList = (columns: readonly string[]) => columns.map((c) => pg.escapeIdentifier(c)).join(", ");

/**
 * Session settings for both ends of a dump, so COPY's text is read back as it was written whatever the
 * server's defaults — the settings pg_dump fixes for the same reason (postgres src/bin/pg_dump/pg_dump.c,
 * setup_connection, REL_18: DateStyle ISO, IntervalStyle postgres, extra_float_digits 3, UTF8 client).
 */
export async function setDumpSession(client: pg.ClientBase): Promise<void> {
  await client.query("SET client_encoding = 'UTF8'; SET DateStyle = ISO, YMD; SET IntervalStyle = postgres; SET extra_float_digits = 3; SET TimeZone = 'UTC'");
}

/** The services' schemas: every schema that holds a node-pg-migrate table. */
export async function serviceSchemas(client: pg.ClientBase): Promise<string[]> {
  const res = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND c.relkind = 'r' ORDER BY 1`,
    [MIGRATIONS_TABLE],
  );
  return res.rows.map((r) => r.schema);
}

export async function appliedMigrations(client: pg.ClientBase, schema: string): Promise<string[]> {
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [quoted(schema, MIGRATIONS_TABLE)]);
  if (!exists.rows[0]?.t) return [];
  const res = await client.query<{ name: string }>(`SELECT name FROM ${quoted(schema, MIGRATIONS_TABLE)} ORDER BY run_on, id`);
  return res.rows.map((r) => r.name);
}

/** Ordinary tables of a schema other than the migrations table, by name. */
export async function schemaTables(client: pg.ClientBase, schema: string): Promise<string[]> {
  const res = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> $2 ORDER BY 1`,
    [schema, MIGRATIONS_TABLE],
  );
  return res.rows.map((r) => r.name);
}

/** Stored columns in attribute order: generated columns cannot be COPYed in; the target computes them. */
export async function storedColumns(client: pg.ClientBase, schema: string, table: string): Promise<string[]> {
  const res = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [quoted(schema, table)],
  );
  return res.rows.map((r) => r.name);
}

export async function foreignKeys(client: pg.ClientBase, schemas: string[]): Promise<ForeignKeyEdge[]> {
  const res = await client.query<{ fs: string; fn: string; ts: string; tn: string }>(
    `SELECT fn_.nspname AS fs, fc.relname AS fn, tn_.nspname AS ts, tc.relname AS tn
       FROM pg_constraint k
       JOIN pg_class fc ON fc.oid = k.conrelid JOIN pg_namespace fn_ ON fn_.oid = fc.relnamespace
       JOIN pg_class tc ON tc.oid = k.confrelid JOIN pg_namespace tn_ ON tn_.oid = tc.relnamespace
      WHERE k.contype = 'f' AND fn_.nspname = ANY($1)`,
    [schemas],
  );
  return res.rows.map((r) => ({ from: { schema: r.fs, name: r.fn }, to: { schema: r.ts, name: r.tn } }));
}

/** The sequence behind a serial or identity column, if any. */
export async function columnSequence(client: pg.ClientBase, schema: string, table: string, column: string): Promise<string | undefined> {
  const res = await client.query<{ seq: string | null }>("SELECT pg_get_serial_sequence($1, $2) AS seq", [quoted(schema, table), column]);
  return res.rows[0]?.seq ?? undefined;
}

export async function tableHasRows(client: pg.ClientBase, schema: string, table: string): Promise<boolean> {
  const res = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoted(schema, table)}) AS any`);
  return res.rows[0]!.any;
}
