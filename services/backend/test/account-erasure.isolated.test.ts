import assert from "node:assert/strict";
import pg from "pg";
import { startLocalRuntime, type LocalRuntime } from "../../runtime/src/local-runtime";
import { eventually } from "../../runtime/test/support/test-app";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { request } from "../../runtime/test/support/json-request";

/**
 * `DELETE /api/account` end to end: the real services as processes behind the local runtime, which
 * routes `account.deleted` with the same topology the cluster's Subscriptions are rendered from. The
 * user's history, reminders with their Dapr jobs, and notifications go; another user's stay.
 */
describe("account erasure across every service (local runtime)", function () {
  this.timeout(180_000);
  let db: TestDatabase;
  let runtime: LocalRuntime;
  let sql: pg.Pool;

  before(async () => {
    db = await createTestDatabase();
    runtime = await startLocalRuntime({
      port: 0,
      databaseUrl: db.url,
      services: ["backend", "event-processor", "reminder-scheduler", "notification"],
      output: "silent",
      logLevel: "warn",
      readyTimeoutMs: 150_000,
    });
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  });

  after(async () => {
    await sql?.end();
    await runtime?.stop();
    await db?.stop();
    await stopTestDatabases();
  });

  const api = (method: string, path: string, token?: string, body?: unknown) => request(runtime.url, method, path, { token, body });
  const count = async (table: string, userId: string) => (await sql.query(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [userId])).rows[0].n as number;
  const holdings = async (userId: string) => [
    await count("event_processor.audit_events", userId),
    await count("reminder_scheduler.reminders", userId),
    await count("notification.notifications", userId),
  ];

  async function userWithData(n: number) {
    const password = "a-long-enough-passphrase-42";
    const signup = await api("POST", "/api/auth/signup", undefined, { email: `erase-${n}-${Date.now()}@example.com`, password });
    assert.equal(signup.status, 201, JSON.stringify(signup.body));
    const token = signup.body.token as string;
    const later = await api("POST", "/api/tasks", token, { title: "later", remindAt: new Date(Date.now() + 3_600_000).toISOString() });
    const soon = await api("POST", "/api/tasks", token, { title: "soon", remindAt: new Date(Date.now() + 500).toISOString() });
    assert.equal(later.status, 201);
    assert.equal(soon.status, 201);
    return { token, password, id: signup.body.user.id as string, email: signup.body.user.email as string, laterTaskId: later.body.id as string };
  }

  it("when a user deletes the account, then history, reminders with their jobs and notifications are erased everywhere, and login fails", async () => {
    const [u, other] = [await userWithData(1), await userWithData(2)];
    for (const who of [u, other]) {
      // two tasks audited, one reminder still scheduled, the other fired into a notification
      // 45 s: under CPU contention an app's /readyz can miss its health-check timeout, and daprd (as our
      // runtime) then pauses deliveries until the next passing probe (dapr v1.18.3 pkg/runtime/runtime.go).
      await eventually(async () => (await holdings(who.id)).join() === "2,2,1", 45_000, `data of user ${who.id}`);
    }
    assert.ok(runtime.dapr.jobs.get("reminder-scheduler", `reminder-${u.laterTaskId}`), "the pending reminder's job exists");

    assert.equal((await api("DELETE", "/api/account", u.token, { password: u.password })).status, 204);
    await eventually(async () => (await holdings(u.id)).join() === "0,0,0", 20_000, "the erasure in every service");
    assert.equal(runtime.dapr.jobs.get("reminder-scheduler", `reminder-${u.laterTaskId}`), undefined, "its job is deleted");
    assert.equal((await api("POST", "/api/auth/login", undefined, { email: u.email, password: u.password })).status, 401);
    assert.deepEqual(await holdings(other.id), [2, 2, 1], "nobody else's data goes");
    assert.ok(runtime.dapr.jobs.get("reminder-scheduler", `reminder-${other.laterTaskId}`));
  });
});
