import { once } from "node:events";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runner } from "node-pg-migrate";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { apps } from "@todo/contracts/topology";
import { appliedMigrations, columnList, columnSequence, quoted, schemaTables, setDumpSession, tableHasRows } from "./catalog";
import { BackupFormatError, END_OF_ROWS, parseEndLine, parseHeaderLine, parseMagicLine, parseTableStartLine, qualifiedName, type BackupHeader } from "./format";
import type { Progress } from "./progress";
import { planRestore, type SchemaPlan, type TargetSchemaState } from "./restore-plan";

/** The largest row a backup may hold: far above any row the services write, and a bound on memory. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Rows are handed to COPY in batches of about this size, not one write per row. */
const BATCH_BYTES = 256 * 1024;

/** Same file filter as services/shared/src/db/migrate.ts: sources or compiled files, no maps or typings. */
const IGNORED = /(^\..*)|(.*\.map$)|(.*\.d\.ts$)/;

/**
 * The migrations this code base has, per service schema (app-id with `-` → `_`, as every service names
 * its schema), read from `services/<app-id>/src/migrations` beside this file — sources under tsx,
 * compiled files under services/dist.
 */
export function localMigrations(servicesDir = join(__dirname, "../../..")): Map<string, { dir: string; names: string[] }> {
  const out = new Map<string, { dir: string; names: string[] }>();
  for (const app of apps) {
    const dir = join(servicesDir, app.id, "src", "migrations");
    if (!existsSync(dir)) continue;
    const names = readdirSync(dir)
      .filter((f) => !IGNORED.test(f))
      .map((f) => f.replace(/\.[^.]+$/, ""))
      .sort();
    out.set(app.id.replace(/-/g, "_"), { dir, names });
  }
  return out;
}

async function targetState(client: pg.ClientBase, header: BackupHeader): Promise<Map<string, TargetSchemaState>> {
  const state = new Map<string, TargetSchemaState>();
  for (const { name } of header.schemas) {
    const nonEmptyTables: string[] = [];
    for (const table of await schemaTables(client, name)) if (await tableHasRows(client, name, table)) nonEmptyTables.push(table);
    state.set(name, { appliedMigrations: await appliedMigrations(client, name), nonEmptyTables });
  }
  return state;
}

/** Replays a service's own migrations, `count` of them, with the options the service itself uses. */
async function migrateSchema(databaseUrl: string, dir: string, plan: SchemaPlan): Promise<void> {
  if (plan.migrationsToRun === 0) return;
  await runner({
    databaseUrl,
    dir,
    direction: "up",
    count: plan.migrationsToRun,
    migrationsTable: "pgmigrations",
    schema: plan.schema,
    createSchema: true,
    ignorePattern: "(\\..*)|(.*\\.map$)|(.*\\.d\\.ts$)",
    log: () => undefined,
    noLock: false,
    advisoryLockMode: "wait",
  });
}

class LineSource {
  constructor(private readonly lines: AsyncIterator<string>) {}
  async next(what: string): Promise<string> {
    const r = await this.lines.next();
    if (r.done) throw new BackupFormatError(`the backup ends before ${what}: the file is truncated`);
    return r.value;
  }
  async assertEnd(): Promise<void> {
    const r = await this.lines.next();
    if (!r.done) throw new BackupFormatError("data after the end of the backup");
  }
}

async function copyRows(client: pg.ClientBase, header: BackupHeader, source: LineSource, onProgress: (p: Progress) => void, bytes: () => number): Promise<void> {
  const progress: Progress = { verb: "restore", tablesDone: 0, tablesTotal: header.tables.length, rowsDone: 0, rowsTotal: header.tables.reduce((s, t) => s + t.rows, 0), bytes: 0 };
  for (const table of header.tables) {
    parseTableStartLine(await source.next(`the rows of ${qualifiedName(table)}`), table);
    progress.current = qualifiedName(table);
    const copy = client.query(copyFrom(`COPY ${quoted(table.schema, table.name)} (${columnList(table.columns)}) FROM STDIN`));
    const failed = new Promise<never>((_, reject) => copy.once("error", reject));
    failed.catch(() => undefined);
    let batch: string[] = [];
    let batchBytes = 0;
    let rows = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const ok = copy.write(batch.join(""));
      batch = [];
      batchBytes = 0;
      if (!ok) await Promise.race([once(copy, "drain"), failed]);
      onProgress({ ...progress, rowsDone: progress.rowsDone + rows, bytes: bytes() });
    };
    try {
      for (let line = await source.next(`the end of ${qualifiedName(table)}`); line !== END_OF_ROWS; line = await source.next(`the end of ${qualifiedName(table)}`)) {
        batch.push(line, "\n");
        batchBytes += line.length + 1;
        rows += 1;
        if (batchBytes >= BATCH_BYTES) await flush();
      }
      await flush();
    } catch (err) {
      // The connection is in COPY mode: destroy() sends CopyFail, so the ROLLBACK that follows is heard.
      const closed = once(copy, "close").catch(() => undefined);
      copy.destroy(err as Error);
      await closed;
      throw err;
    }
    copy.end();
    await Promise.race([once(copy, "finish"), failed]);
    if (rows !== table.rows || copy.rowCount !== table.rows) {
      throw new BackupFormatError(`${qualifiedName(table)}: the file holds ${rows} rows (${copy.rowCount} loaded), its header says ${table.rows}`);
    }
    progress.rowsDone += rows;
    progress.tablesDone += 1;
    onProgress({ ...progress, bytes: bytes() });
  }
}

async function restoreSequences(client: pg.ClientBase, header: BackupHeader): Promise<void> {
  for (const s of header.sequences) {
    const seq = await columnSequence(client, s.schema, s.table, s.column);
    if (!seq) throw new BackupFormatError(`${s.schema}.${s.table}.${s.column} has a sequence in the backup but none in the target`);
    await client.query("SELECT setval($1::regclass, $2::bigint, $3)", [seq, s.lastValue, s.isCalled]);
  }
}

/**
 * Restores a backup read as lines (format.ts) into the database `client` is connected to (`databaseUrl`
 * is the same database, for the migration runner's own connection). Refuses before changing anything
 * when the target holds rows or is at other migrations; then replays the services' migrations up to the
 * backup's, and loads every table and sequence in ONE transaction: a corrupt or truncated file leaves
 * the rows as they were (empty), never half a database.
 */
export async function loadDatabase(
  client: pg.ClientBase,
  databaseUrl: string,
  lines: AsyncIterable<string>,
  onProgress: (p: Progress) => void,
  bytes: () => number,
  migrations = localMigrations(),
): Promise<BackupHeader> {
  const source = new LineSource(lines[Symbol.asyncIterator]());
  parseMagicLine(await source.next("its first line"));
  const header = parseHeaderLine(await source.next("its header"));
  await setDumpSession(client);
  const names = new Map([...migrations].map(([schema, m]) => [schema, m.names]));
  const plans = planRestore(header, await targetState(client, header), names);
  for (const plan of plans) await migrateSchema(databaseUrl, migrations.get(plan.schema)!.dir, plan);
  await client.query("BEGIN");
  try {
    await copyRows(client, header, source, onProgress, bytes);
    await restoreSequences(client, header);
    parseEndLine(await source.next("its end line"), header.tables.length);
    await source.assertEnd();
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
  return header;
}
