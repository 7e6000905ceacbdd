import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { gunzipSync, gzipSync } from "node:zlib";
import { runner } from "node-pg-migrate";
import pg from "pg";
import { createTestDatabase, stopTestDatabases } from "../../../testing/database";
import { migrate } from "../../../shared/src/db/migrate";
import { backupCli, restoreCli } from "../../src/backup/cli";
import { dumpDatabase } from "../../src/backup/dump";
import { readLines } from "../../src/backup/lines";
import { loadDatabase } from "../../src/backup/load";

const noProgress = () => undefined;

async function connected(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

describe("backup: dump and load against PostgreSQL", function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "todo-backup-test-"));
  const migrations = join(dir, "migrations");
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await stopTestDatabases();
  });

  before(() => {
    // Two tables written together, an identity ALWAYS column, a generated column, a foreign key.
    mkdirSync(migrations);
    writeFileSync(
      join(migrations, "1_pairs.js"),
      `exports.up = (pgm) => pgm.sql(\`
        CREATE TABLE b_side (id bigint PRIMARY KEY, a_id bigint NOT NULL REFERENCES a_side (id));
        \`.replace('CREATE TABLE b_side', 'CREATE TABLE a_side (id bigserial PRIMARY KEY, seq bigint GENERATED ALWAYS AS IDENTITY, note text, doubled bigint GENERATED ALWAYS AS (id * 2) STORED); CREATE TABLE b_side'));\n`,
    );
  });

  const migrateAlpha = (url: string) =>
    runner({ databaseUrl: url, dir: migrations, direction: "up", migrationsTable: "pgmigrations", schema: "alpha", createSchema: true, log: () => undefined });
  const local = () => new Map([["alpha", { dir: migrations, names: ["1_pairs"] }]]);

  it("when writers commit pairs of rows during the dump, then the backup holds whole pairs only (one snapshot), and odd values come back byte for byte", async () => {
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    await migrateAlpha(source.url);
    const writer = await connected(source.url);
    const odd = ["back\\slash", "new\nline", "tab\there", "\\.", "ünïcødé ✓", null];
    for (const note of odd) await writer.query("WITH a AS (INSERT INTO alpha.a_side (note) VALUES ($1) RETURNING id) INSERT INTO alpha.b_side SELECT id, id FROM a", [note]);
    let committed = 0;
    let writing = true;
    const writes = (async () => {
      while (writing) {
        await writer.query("BEGIN");
        await writer.query("WITH a AS (INSERT INTO alpha.a_side (note) VALUES ('during') RETURNING id) INSERT INTO alpha.b_side SELECT id, id FROM a");
        await writer.query("COMMIT");
        committed++;
      }
    })();

    const chunks: Buffer[] = [];
    // Holds the dump at the second table until 20 more pairs were committed after the first was read.
    const out = new Writable({
      highWaterMark: 1, // every write waits for this one: the hold below really holds the dump
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        if (!chunk.toString().includes('{"table":"alpha.b_side"}')) return cb();
        const from = committed;
        const wait = () => (committed >= from + 20 ? cb() : setTimeout(wait, 5));
        wait();
      },
    });
    const dumper = await connected(source.url);
    const header = await dumpDatabase(dumper, out, noProgress, () => 0);
    out.end();
    await finished(out);
    writing = false;
    await writes;
    assert.deepEqual(header.tables.map((t) => t.name), ["a_side", "b_side"], "the referenced table first");
    assert.deepEqual(header.tables[0]!.columns, ["id", "seq", "note"], "the generated column is left out");

    const loader = await connected(target.url);
    await loadDatabase(loader, target.url, readLines(Readable.from(chunks), 1 << 20), noProgress, () => 0, local());
    const a = await loader.query("SELECT id, seq, note, doubled FROM alpha.a_side ORDER BY id");
    const b = await loader.query("SELECT id FROM alpha.b_side ORDER BY id");
    assert.equal(a.rowCount, b.rowCount, "every pair whole");
    assert.ok(a.rowCount! >= odd.length, "the rows written before the dump are in it");
    assert.ok((await writer.query("SELECT count(*)::int AS n FROM alpha.a_side")).rows[0].n >= a.rowCount! + 20, "the writers went on during the dump");
    assert.deepEqual(a.rows.slice(0, odd.length).map((r) => r.note), odd);
    assert.ok(a.rows.every((r) => Number(r.doubled) === Number(r.id) * 2), "generated columns are computed in the target");
    // The sequences go on after the restored ids.
    const next = await loader.query("INSERT INTO alpha.a_side (note) VALUES ('next') RETURNING id, seq");
    assert.ok(Number(next.rows[0].id) > Number(a.rows.at(-1).id) && Number(next.rows[0].seq) > Number(a.rows.at(-1).seq));
    await Promise.all([writer.end(), dumper.end(), loader.end()]);
    await Promise.all([source.stop(), target.stop()]);
  });

  it("when the file is cut short, then the restore fails naming it and the target keeps no row", async () => {
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    await migrateAlpha(source.url);
    const c = await connected(source.url);
    await c.query("INSERT INTO alpha.a_side (note) SELECT 'row ' || g FROM generate_series(1, 500) g");
    await c.query("INSERT INTO alpha.b_side SELECT id, id FROM alpha.a_side");
    const chunks: Buffer[] = [];
    await dumpDatabase(c, new Writable({ write: (chunk: Buffer, _e, cb) => (chunks.push(chunk), cb()) }), noProgress, () => 0);
    const whole = Buffer.concat(chunks);
    const cut = whole.subarray(0, whole.indexOf('{"table":"alpha.b_side"}') + 40);
    const loader = await connected(target.url);
    await assert.rejects(loadDatabase(loader, target.url, readLines(Readable.from([cut]), 1 << 20), noProgress, () => 0, local()), /ends before the end of alpha\.b_side: the file is truncated/);
    assert.equal((await loader.query("SELECT count(*)::int AS n FROM alpha.a_side")).rows[0].n, 0, "the first table's rows were rolled back too");
    await Promise.all([c.end(), loader.end()]);
    await Promise.all([source.stop(), target.stop()]);
  });

  it("when backup and restore run with DATABASE_URL, then the file is a versioned gzip and an empty database gets the rows back", async () => {
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    await migrate({ databaseUrl: source.url, dir: join(__dirname, "../../../backend/src/migrations"), schema: "backend" });
    const c = await connected(source.url);
    await c.query("INSERT INTO backend.users (id, email, password_hash) VALUES (gen_random_uuid(), 'a@example.com', 'hash')");
    const file = join(dir, "url.backup");
    const lines: string[] = [];
    const io = (url: string) => ({ env: { DATABASE_URL: url, DATA_DIR: join(dir, "unused") }, stderr: { write: (t: string) => lines.push(t) } });
    const tables = (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'backend' AND tablename <> 'pgmigrations'")).rows[0]!.n;
    await backupCli(["--out", file], io(source.url));
    const text = gunzipSync(readFileSync(file)).toString();
    assert.ok(text.startsWith("TODO-PLATFORM-BACKUP 1\n{"), "magic line, then the header");
    assert.match(lines.join(""), new RegExp(`backup written: .*1 schemas, ${tables} tables, 1 rows`));
    await restoreCli(["--from", file], io(target.url));
    const t = await connected(target.url);
    assert.deepEqual((await t.query("SELECT email FROM backend.users")).rows, [{ email: "a@example.com" }]);
    await assert.rejects(restoreCli(["--from", file], io(target.url)), /the target database is not empty: backend\.users has rows/);
    writeFileSync(join(dir, "v2.backup"), gzipSync(text.replace("TODO-PLATFORM-BACKUP 1", "TODO-PLATFORM-BACKUP 2")));
    const third = await createTestDatabase();
    await assert.rejects(restoreCli(["--from", join(dir, "v2.backup")], io(third.url)), /format version "2" is not supported/);
    await Promise.all([c.end(), t.end()]);
    await Promise.all([source.stop(), target.stop(), third.stop()]);
  });
});
