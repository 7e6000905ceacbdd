import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { createLogger } from "../src/telemetry/logger";
import { openServiceDatabase, schemaDatabaseUrl } from "../src/db/service-database";

describe("shared db: a service's own schema", () => {
  let db: TestDatabase;
  let pool: pg.Pool | undefined;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await pool?.end();
    await db?.stop();
    await stopTestDatabases();
  });

  it("when the search path is set, then the URL keeps its other parameters", () => {
    const url = new URL(schemaDatabaseUrl("postgres://u:p@h:5432/d?sslmode=require", "my_service"));
    assert.equal(url.searchParams.get("sslmode"), "require");
    assert.equal(url.searchParams.get("options"), "-c search_path=my_service");
  });

  it("when a service database is opened, then its migrations ran in its schema and unqualified names resolve there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "migrations-"));
    writeFileSync(join(dir, "1_things.js"), "exports.up = (pgm) => pgm.sql('CREATE TABLE things (n int); INSERT INTO things VALUES (7);');\n");
    pool = await openServiceDatabase({ DATABASE_URL: db.url, DATABASE_POOL_MAX: 2 }, { schema: "some_service", migrationsDir: dir, log: createLogger("test", "silent") });
    const { rows } = await pool.query("SELECT n, (SELECT table_schema FROM information_schema.tables WHERE table_name = 'things') AS schema FROM things");
    assert.deepEqual(rows, [{ n: 7, schema: "some_service" }]);
  });
});
