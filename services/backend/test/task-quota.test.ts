import assert from "node:assert/strict";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness } from "./backend-harness";

describe("backend: tasks per user are bounded", () => {
  let h: BackendHarness;
  before(async () => {
    h = await BackendHarness.start({ MAX_TASKS_PER_USER: "3" });
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
});
