import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness } from "./backend-harness";

describe("backend: tasks per user are bounded", () => {
  let h: BackendHarness;
  before(async () => {
    // every create of a burst runs at once, so the quota is what decides among them
    h = await BackendHarness.start({ MAX_TASKS_PER_USER: "3", TASK_WRITES_RUNNING_PER_USER: "16" });
  });
  after(async () => {
    await h?.stop();
    await stopTestDatabases();
  });

  it("when a user holds the most tasks allowed, then one more is 403 quota_exceeded naming the limit; deleting one makes room; others are unaffected", async () => {
    const [full, other] = await Promise.all([h.user(), h.user()]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.createTask(full.token, { title: `t${i}` })).id);
    const refused = await h.request("POST", "/api/tasks", { token: full.token, body: { title: "one too many" } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "quota_exceeded");
    assert.match(refused.body.error.message, /3 tasks/);
    assert.equal(refused.body.error.details[0].field, "tasks");
    assert.equal((await h.request("GET", "/api/tasks", { token: full.token })).body.items.length, 3, "nothing was written");

    assert.equal((await h.request("POST", "/api/tasks", { token: other.token, body: { title: "mine" } })).status, 201);
    assert.equal((await h.request("DELETE", `/api/tasks/${ids[0]}`, { token: full.token })).status, 204);
    assert.equal((await h.request("POST", "/api/tasks", { token: full.token, body: { title: "fits again" } })).status, 201);
  });

  /** The user's quota counter and the rows it counts. */
  async function held(userId: string): Promise<{ counter: number; rows: number }> {
    const { rows } = await h.sql.query<{ counter: number; rows: number }>(
      "SELECT task_count AS counter, (SELECT count(*)::int FROM backend.tasks WHERE user_id = $1) AS rows FROM backend.users WHERE id = $1",
      [userId],
    );
    return rows[0]!;
  }

  it("when tasks are created, deleted, refused, recreated and followed by a next occurrence, then the quota counter stays equal to the rows", async () => {
    const u = await h.user();
    const daily = await h.createTask(u.token, { title: "daily", dueAt: "2030-01-01T09:00:00Z", recurrence: "FREQ=DAILY" });
    const ids = [(await h.createTask(u.token, { title: "a" })).id, (await h.createTask(u.token, { title: "b" })).id];
    assert.equal((await h.request("POST", "/api/tasks", { token: u.token, body: { title: "refused" } })).status, 403);
    assert.deepEqual(await held(u.id), { counter: 3, rows: 3 }, "a refused create counts nothing");

    for (const id of ids) assert.equal((await h.request("DELETE", `/api/tasks/${id}`, { token: u.token })).status, 204);
    assert.deepEqual(await held(u.id), { counter: 1, rows: 1 });
    assert.equal((await h.request("DELETE", `/api/tasks/${ids[0]}`, { token: u.token })).status, 404);
    assert.deepEqual(await held(u.id), { counter: 1, rows: 1 }, "deleting what is already gone takes nothing off");
    for (const title of ["c", "d"]) assert.equal((await h.request("POST", "/api/tasks", { token: u.token, body: { title } })).status, 201);
    assert.equal((await h.request("POST", "/api/tasks", { token: u.token, body: { title: "refused again" } })).status, 403);

    // the next occurrence of a series is created over the quota (the series was accepted), and counted
    assert.equal((await h.request("POST", `/api/tasks/${daily.id}/complete`, { token: u.token })).status, 200);
    const next = {
      eventId: `evt-${randomUUID()}`, correlationId: "c", parentTaskId: daily.id, userId: u.id, title: "daily", description: "", priority: "medium",
      tags: [], recurrence: "FREQ=DAILY", timeZone: "UTC", seriesId: daily.id, seriesStart: "2030-01-01T09:00:00Z", seriesSlot: "2030-01-02T09:00:00Z",
      seriesIndex: 2, dueAt: "2030-01-02T09:00:00Z", remindAt: null,
    };
    assert.equal((await h.request("POST", "/internal/tasks/next-occurrence", { body: next })).status, 201);
    assert.equal((await h.request("POST", "/internal/tasks/next-occurrence", { body: next })).status, 200, "a redelivered event creates nothing");
    assert.deepEqual(await held(u.id), { counter: 4, rows: 4 });
    assert.equal((await h.request("DELETE", `/api/tasks/${daily.id}`, { token: u.token })).status, 204);
    assert.deepEqual(await held(u.id), { counter: 3, rows: 3 });
  });

  it("when a user with room for one sends a burst of creates at once, then exactly one is written", async () => {
    const u = await h.user();
    await h.createTask(u.token, { title: "one" });
    await h.createTask(u.token, { title: "two" });
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => h.request("POST", "/api/tasks", { token: u.token, body: { title: `burst ${i}` } })));
    assert.deepEqual(burst.map((r) => r.status).sort(), [201, 403, 403, 403, 403, 403, 403, 403]);
    assert.deepEqual(await held(u.id), { counter: 3, rows: 3 });
  });

  it("when a user's counter was left above the rows held (a replica of before the counter deleted tasks), then a create refused by it repairs it and is written", async () => {
    const u = await h.user();
    await h.createTask(u.token, { title: "one" });
    await h.sql.query("UPDATE backend.users SET task_count = 3 WHERE id = $1", [u.id]);
    assert.equal((await h.request("POST", "/api/tasks", { token: u.token, body: { title: "two" } })).status, 201);
    assert.deepEqual(await held(u.id), { counter: 2, rows: 2 });
    assert.equal((await h.request("POST", "/api/tasks", { token: u.token, body: { title: "three" } })).status, 201);
    assert.equal((await h.request("POST", "/api/tasks", { token: u.token, body: { title: "four" } })).status, 403, "the quota holds after a repair");
    assert.deepEqual(await held(u.id), { counter: 3, rows: 3 });
  });
});
