import assert from "node:assert/strict";
import type { RunningService } from "../../shared/src/http/run-service";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness, type Reply } from "./backend-harness";

const WRITES = 4;

function assertLimited(res: Reply, what: string) {
  assert.equal(res.status, 429, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error.code, "too_many_writes", what);
  assert.match(res.body.error.message, /retry in \d+ s/, what);
  assert.equal(res.body.error.details[0].field, "request", what);
  const retryAfter = Number(res.headers.get("retry-after"));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `${what}: Retry-After ${res.headers.get("retry-after")}`);
}

describe("backend: task writes per user are rate limited (issue 12.1)", () => {
  let h: BackendHarness;
  let replica: RunningService;
  before(async () => {
    h = await BackendHarness.start({ TASK_WRITES_PER_MINUTE: String(WRITES) });
    replica = await h.startReplica({ TASK_WRITES_PER_MINUTE: String(WRITES) });
  });
  after(async () => {
    await replica?.stop();
    await h?.stop();
    await stopTestDatabases();
  });

  it("when a user has spent the minute's writes, then every kind of write is 429 too_many_writes with Retry-After, before its body is checked; each replica counts its own", async () => {
    const [busy, other] = await Promise.all([h.user(), h.user()]);
    const task = await h.createTask(busy.token, { title: "one" });
    for (let i = 1; i < WRITES; i++) assert.equal((await h.request("PATCH", `/api/tasks/${task.id}`, { token: busy.token, body: { title: `edit ${i}` } })).status, 200);

    assertLimited(await h.request("POST", "/api/tasks", { token: busy.token, body: { title: "one more" } }), "a create");
    assertLimited(await h.request("POST", `/api/tasks/${task.id}/complete`, { token: busy.token }), "a completion");
    assertLimited(await h.request("DELETE", `/api/tasks/${task.id}`, { token: busy.token }), "a delete");
    // refused before the body is checked (no recurrence walk for a refused write): a would-be 400 is a 429 too
    assertLimited(await h.request("POST", "/api/tasks", { token: busy.token, body: { title: 42, recurrence: "FREQ=YEARLY;BYMONTH=4;BYYEARDAY=1" } }), "an invalid create");
    // Each replica counts its own (the limit guards the process doing the work): another replica has the
    // user's budget untouched, and spends it the same way.
    for (let i = 0; i < WRITES; i++) {
      assert.equal((await h.request("PATCH", `/api/tasks/${task.id}`, { token: busy.token, body: { title: `elsewhere ${i}` }, base: replica.url })).status, 200, `write ${i} on the other replica`);
    }
    assertLimited(await h.request("PATCH", `/api/tasks/${task.id}`, { token: busy.token, body: { title: "one too many" }, base: replica.url }), "a write over the other replica's budget");

    const read = await h.request("GET", `/api/tasks/${task.id}`, { token: busy.token });
    assert.equal(read.status, 200, "reads are not limited");
    assert.equal(read.body.title, `elsewhere ${WRITES - 1}`, "no refused write took effect");
    assert.equal((await h.request("POST", "/api/tasks", { token: other.token, body: { title: "mine" } })).status, 201, "another user keeps their own budget");
  });
});
