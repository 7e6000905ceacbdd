import { once } from "node:events";
import type { Writable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { appliedMigrations, columnList, columnSequence, foreignKeys, quoted, schemaTables, serviceSchemas, setDumpSession, storedColumns } from "./catalog";
import { END_OF_ROWS, endLine, headerLine, magicLine, qualifiedName, tableStartLine, type BackupHeader, type BackupSequence, type BackupTable } from "./format";
import { loadOrder } from "./load-order";
import type { Progress } from "./progress";

async function write(out: Writable, data: string | Buffer): Promise<void> {
  if (!out.write(data)) await once(out, "drain");
}

function countNewlines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Reads what the header says, inside the dump's snapshot. */
async function readHeader(client: pg.ClientBase): Promise<BackupHeader> {
  const schemas = await serviceSchemas(client);
  if (schemas.length === 0) throw new Error("no service schema in this database (no pgmigrations table anywhere): nothing to back up — has `npm start` run against it?");
  const tables: BackupTable[] = [];
  for (const schema of schemas) for (const name of await schemaTables(client, schema)) tables.push({ schema, name, columns: [], rows: 0 });
  // Like pg_dump: ACCESS SHARE on every table for the length of the dump, so no migration can drop or
  // rewrite one half-way; it does not block the services' reads and writes.
  if (tables.length > 0) await client.query(`LOCK TABLE ${tables.map((t) => quoted(t.schema, t.name)).join(", ")} IN ACCESS SHARE MODE`);
  const sequences: BackupSequence[] = [];
  for (const t of tables) {
    t.columns = await storedColumns(client, t.schema, t.name);
    const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoted(t.schema, t.name)}`);
    t.rows = Number(count.rows[0]!.n);
    for (const column of t.columns) {
      const seq = await columnSequence(client, t.schema, t.name, column);
      if (!seq) continue;
      // Sequences are not transactional: this value is the one now, at or after every id the snapshot
      // sees, so a restored sequence never hands out an id that exists (at most it skips a few).
      const v = await client.query<{ last: string; called: boolean }>(`SELECT last_value::text AS last, is_called AS called FROM ${seq}`);
      sequences.push({ schema: t.schema, table: t.name, column, lastValue: v.rows[0]!.last, isCalled: v.rows[0]!.called });
    }
  }
  const version = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return {
    createdAt: new Date().toISOString(),
    serverVersion: version.rows[0]!.v,
    schemas: await Promise.all(schemas.map(async (name) => ({ name, migrations: await appliedMigrations(client, name) }))),
    tables: loadOrder(tables, await foreignKeys(client, schemas)),
    sequences,
  };
}

/**
 * Writes a logical dump of every service schema to `out` (the uncompressed format of format.ts), from
 * ONE read-only REPEATABLE READ transaction: every table is read in the same snapshot, so the tasks,
 * their outbox rows, the audit trail, the reminders and the notifications agree with each other, while
 * the services go on writing. Rows stream from COPY to `out` with backpressure: memory stays bounded
 * by the stream buffers, whatever the size of a table.
 */
export async function dumpDatabase(client: pg.ClientBase, out: Writable, onProgress: (p: Progress) => void, bytes: () => number): Promise<BackupHeader> {
  await setDumpSession(client);
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const header = await readHeader(client);
    const progress: Progress = { verb: "backup", tablesDone: 0, tablesTotal: header.tables.length, rowsDone: 0, rowsTotal: header.tables.reduce((s, t) => s + t.rows, 0), bytes: 0 };
    await write(out, magicLine());
    await write(out, headerLine(header));
    for (const table of header.tables) {
      progress.current = qualifiedName(table);
      await write(out, tableStartLine(table));
      const copy = client.query(copyTo(`COPY ${quoted(table.schema, table.name)} (${columnList(table.columns)}) TO STDOUT`));
      let rows = 0;
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        rows += countNewlines(chunk);
        await write(out, chunk);
        onProgress({ ...progress, rowsDone: progress.rowsDone + rows, bytes: bytes() });
      }
      if (rows !== table.rows) throw new Error(`${qualifiedName(table)}: COPY wrote ${rows} rows, the snapshot counted ${table.rows}`);
      await write(out, `${END_OF_ROWS}\n`);
      progress.rowsDone += rows;
      progress.tablesDone += 1;
      onProgress({ ...progress, bytes: bytes() });
    }
    await write(out, endLine(header.tables.length));
    await client.query("COMMIT");
    return header;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
