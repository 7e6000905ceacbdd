import assert from "node:assert/strict";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness } from "./backend-harness";

/** Issue 18: the task API as users of everyday todo apps expect it (real PostgreSQL). */
describe("task API as its users expect (issue 18)", () => {
  let h: BackendHarness;

  before(async () => {
    h = await BackendHarness.start();
  });
  after(async () => {
    await h?.stop();
    await stopTestDatabases();
  });

  const list = async (token: string, query: string) => {
    const res = await h.request("GET", `/api/tasks?${query}`, { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { items: Array<{ id: string; title: string; tags: string[] }>; nextCursor: string | null };
  };
  const titles = async (token: string, query: string) => (await list(token, query)).items.map((t) => t.title);

  describe("reopen", () => {
    it("when a completed task is reopened, then it is pending again without completedAt, the version goes up and an update event is written", async () => {
      const { token } = await h.user();
      const task = await h.createTask(token, { title: "reopen me" });
      const done = await h.request("POST", `/api/tasks/${task.id}/complete`, { token });
      const res = await h.request("POST", `/api/tasks/${task.id}/reopen`, { token, headers: { "if-match": `"${done.body.version}"` } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, "pending");
      assert.equal(res.body.completedAt, null);
      assert.equal(res.body.version, done.body.version + 1);
      assert.equal(res.headers.get("etag"), `"${res.body.version}"`);
      const { rows } = await h.sql.query("SELECT payload FROM backend.outbox WHERE task_id = $1 ORDER BY seq", [task.id]);
      const last = rows.at(-1).payload;
      assert.equal(last.type, "task.updated");
      assert.deepEqual(last.data.changes, ["status", "completedAt"]);
      assert.deepEqual(last.data.previous, { status: "completed", completedAt: done.body.completedAt });
    });

    it("when a pending task is reopened, then nothing changes and nothing is written", async () => {
      const { token } = await h.user();
      const task = await h.createTask(token, { title: "still open" });
      const res = await h.request("POST", `/api/tasks/${task.id}/reopen`, { token });
      assert.equal(res.status, 200);
      assert.equal(res.body.version, task.version);
      const { rows } = await h.sql.query("SELECT count(*)::int AS n FROM backend.outbox WHERE task_id = $1", [task.id]);
      assert.equal(rows[0].n, 1);
    });

    it("when If-Match is stale, then reopen is 412; someone else's task is 404", async () => {
      const { token } = await h.user();
      const other = await h.user();
      const task = await h.createTask(token, { title: "guarded" });
      await h.request("POST", `/api/tasks/${task.id}/complete`, { token });
      const stale = await h.request("POST", `/api/tasks/${task.id}/reopen`, { token, headers: { "if-match": `"${task.version}"` } });
      assert.equal(stale.status, 412);
      assert.equal((await h.request("POST", `/api/tasks/${task.id}/reopen`, { token: other.token })).status, 404);
    });

    it("when a reminded task is reopened, then its reminder is scheduled again", async () => {
      const { token } = await h.user();
      const remindAt = new Date(Date.now() + 3_600_000).toISOString();
      const task = await h.createTask(token, { title: "remind again", remindAt });
      await h.request("POST", `/api/tasks/${task.id}/complete`, { token });
      await h.request("POST", `/api/tasks/${task.id}/reopen`, { token });
      const { rows } = await h.sql.query("SELECT type FROM backend.outbox WHERE task_id = $1 ORDER BY seq", [task.id]);
      assert.deepEqual(rows.map((r) => r.type), ["task.created", "reminder.scheduled", "task.completed", "reminder.cancelled", "task.updated", "reminder.scheduled"]);
    });
  });

  it("when a reminder is set on a completed task, then it is 409 naming remindAt and nothing changes", async () => {
    const { token } = await h.user();
    const task = await h.createTask(token, { title: "done already" });
    const done = await h.request("POST", `/api/tasks/${task.id}/complete`, { token });
    const res = await h.request("PATCH", `/api/tasks/${task.id}`, { token, body: { remindAt: new Date(Date.now() + 60_000).toISOString() } });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.details[0].field, "remindAt");
    const now = await h.request("GET", `/api/tasks/${task.id}`, { token });
    assert.equal(now.body.version, done.body.version);
    assert.equal(now.body.remindAt, null);
  });

  it("when windows are consecutive days, then a task due at midnight is in exactly one: dueAfter inclusive, dueBefore exclusive", async () => {
    const { token } = await h.user();
    await h.createTask(token, { title: "midnight", dueAt: "2030-05-02T00:00:00Z" });
    await h.createTask(token, { title: "noon", dueAt: "2030-05-01T12:00:00Z" });
    assert.deepEqual(await titles(token, "dueAfter=2030-05-01T00:00:00Z&dueBefore=2030-05-02T00:00:00Z&sort=dueAt"), ["noon"]);
    assert.deepEqual(await titles(token, "dueAfter=2030-05-02T00:00:00Z&dueBefore=2030-05-03T00:00:00Z&sort=dueAt"), ["midnight"]);
  });

  describe("tags", () => {
    it("when tags differ only in case or spaces, then one is kept, in the spelling first given", async () => {
      const { token } = await h.user();
      const task = await h.createTask(token, { title: "t", tags: ["Work", "work", " WORK ", "home"] });
      assert.deepEqual(task.tags, ["Work", "home"]);
      const patched = await h.request("PATCH", `/api/tasks/${task.id}`, { token, body: { tags: ["Straße", "STRASSE"] } });
      assert.deepEqual(patched.body.tags, ["Straße"]);
    });

    it("when filtering by a tag in another case, then the task is found; several tags keep tasks carrying all of them", async () => {
      const { token } = await h.user();
      await h.createTask(token, { title: "both", tags: ["Work", "Urgent"] });
      await h.createTask(token, { title: "work only", tags: ["work"] });
      await h.createTask(token, { title: "neither", tags: ["home"] });
      assert.deepEqual((await titles(token, "tag=WORK&sort=title")).sort(), ["both", "work only"]);
      assert.deepEqual(await titles(token, "tag=work&tag=urgent"), ["both"]);
      const tooMany = await h.request("GET", `/api/tasks?${Array.from({ length: 11 }, (_, i) => `tag=t${i}`).join("&")}`, { token });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.error.details[0].field, "tag");
    });
  });

  it("when searching STRASSE, then Straße is found (full case folding), and wildcards stay literal", async () => {
    const { token } = await h.user();
    await h.createTask(token, { title: "Hauptstraße 5 streichen" });
    await h.createTask(token, { title: "other", description: "ÉCOLE 100% fertig" });
    await h.createTask(token, { title: "unrelated" });
    assert.deepEqual(await titles(token, "q=STRASSE"), ["Hauptstraße 5 streichen"]);
    assert.deepEqual(await titles(token, "q=école%20100%25"), ["other"]);
    assert.deepEqual(await titles(token, "q=_"), []);
  });

  it("when sorting by title, then the order is as people read (case, accents, numbers), in pages with a keyset cursor", async () => {
    const { token } = await h.user();
    const names = ["Zebra", "banana", "Apple", "éclair", "Eclair 2", "Eclair 10", "apple"];
    for (const title of names) await h.createTask(token, { title });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(token, `sort=title&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((t) => t.title));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ["apple", "Apple", "banana", "éclair", "Eclair 2", "Eclair 10", "Zebra"]);
    const desc = await titles(token, "sort=title&order=desc&limit=100");
    assert.deepEqual(desc, [...seen].reverse());
  });
});
