import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runner } from "node-pg-migrate";
import pg from "pg";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";

const dir = join(__dirname, "../src/migrations");
/** The backend's migrations as the service runs them (shared/src/db/migrate-process.ts), `count` of them in `direction`. */
const migrateBackend = (url: string, direction: "up" | "down", count?: number) =>
  runner({
    databaseUrl: url, dir, direction, count, migrationsTable: "pgmigrations", schema: "backend", createSchema: true,
    ignorePattern: "(\\..*)|(.*\\.map$)|(.*\\.d\\.ts$)", log: () => undefined,
  });

describe("backend migration 1780200000000: the quota counter of existing users", () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  before(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 1 });
  });
  after(async () => {
    await sql?.end();
    await db?.stop();
    await stopTestDatabases();
  });

  const counters = async () =>
    (await sql.query<{ email: string; task_count: number }>("SELECT email, task_count FROM backend.users ORDER BY email")).rows.map((r) => [r.email, r.task_count]);

  it("when it runs over users holding tasks, then each counter starts at the user's rows; down and up again (through the index drop before it) gives the same", async () => {
    const all = readdirSync(dir).filter((f) => /^\d+_.*\.ts$/.test(f)).sort();
    const before = all.indexOf("1780200000000_user-task-count.ts");
    assert.ok(before > 0);
    await migrateBackend(db.url, "up", before);
    await sql.query(`
      INSERT INTO backend.users (id, email, password_hash) VALUES
        ('00000000-0000-4000-8000-000000000001', 'a@example.com', 'x'), ('00000000-0000-4000-8000-000000000002', 'b@example.com', 'x'),
        ('00000000-0000-4000-8000-000000000003', 'c@example.com', 'x');
      INSERT INTO backend.tasks (id, user_id, title, series_id, series_start, created_at, updated_at)
        SELECT g, ('00000000-0000-4000-8000-00000000000' || (CASE WHEN i <= 5 THEN 1 ELSE 2 END))::uuid, 't', g, now(), now(), now()
        FROM (SELECT gen_random_uuid() AS g, i FROM generate_series(1, 7) AS i) s;`);
    await migrateBackend(db.url, "up");
    const expected = [["a@example.com", 5], ["b@example.com", 2], ["c@example.com", 0]];
    assert.deepEqual(await counters(), expected);

    await migrateBackend(db.url, "down", all.length - before + 1);
    assert.equal((await sql.query("SELECT 1 FROM information_schema.columns WHERE table_schema = 'backend' AND column_name = 'task_count'")).rowCount, 0);
    assert.equal((await sql.query("SELECT 1 FROM pg_indexes WHERE schemaname = 'backend' AND indexname = 'tasks_tags'")).rowCount, 1, "1780100000000 down");
    await migrateBackend(db.url, "up");
    assert.deepEqual(await counters(), expected);
  });
});
