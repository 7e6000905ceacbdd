import assert from "node:assert/strict";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness } from "./backend-harness";

/** Issue 18: the task API as users of everyday todo apps expect it (real PostgreSQL). */

// one embedded PostgreSQL for the whole file; each describe has its own database in it
after(() => stopTestDatabases());
describe("task API as its users expect (issue 18)", () => {
  let h: BackendHarness;

  before(async () => {
    h = await BackendHarness.start();
  });
  after(async () => {
    await h?.stop();
  });

  const list = async (token: string, query: string) => {
    const res = await h.request("GET", `/api/tasks?${query}`, { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { items: Array<{ id: string; title: string; tags: string[] }>; nextCursor: string | null };
  };
  const titles = async (token: string, query: string) => (await list(token, query)).items.map((t) => t.title);

  describe("reopen", () => {
    it("when a completed task is reopened, then it is pending again without completedAt, the version goes up and task.reopened is written", async () => {
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
      assert.equal(last.type, "task.reopened");
      assert.deepEqual(last.data, { task: res.body });
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
      assert.deepEqual(rows.map((r) => r.type), ["task.created", "reminder.scheduled", "task.completed", "reminder.cancelled", "task.reopened", "reminder.scheduled"]);
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

describe("Idempotency-Key on create, complete and reopen", () => {
  let h: BackendHarness;
  before(async () => {
    h = await BackendHarness.start();
  });
  after(async () => {
    await h?.stop();
  });

  const count = async (userId: string) => (await h.sql.query("SELECT count(*)::int AS n FROM backend.tasks WHERE user_id = $1", [userId])).rows[0].n;

  it("when a create is retried with the same key, then the first answer comes back and one task exists", async () => {
    const u = await h.user();
    const send = () => h.request("POST", "/api/tasks", { token: u.token, body: { title: "once" }, headers: { "idempotency-key": "create-1" } });
    const first = await send();
    const again = await send();
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get("location"), first.headers.get("location"));
    assert.equal(again.headers.get("etag"), first.headers.get("etag"));
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(await count(u.id), 1);
  });

  it("when retries race, then still one task exists and every answer names it or says the first is in progress", async () => {
    const u = await h.user();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => h.request("POST", "/api/tasks", { token: u.token, body: { title: "raced" }, headers: { "idempotency-key": "race" } })),
    );
    assert.equal(await count(u.id), 1);
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
    assert.equal(ids.size, 1);
    assert.ok(answers.every((a) => a.status === 201 || (a.status === 409 && a.body.error.code === "idempotency_key_in_progress")));
  });

  it("when the same key comes with another body or from another user, then it is 422 for the first and a new request for the other", async () => {
    const u = await h.user();
    const v = await h.user();
    await h.request("POST", "/api/tasks", { token: u.token, body: { title: "a" }, headers: { "idempotency-key": "k" } });
    const reused = await h.request("POST", "/api/tasks", { token: u.token, body: { title: "b" }, headers: { "idempotency-key": "k" } });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.error.code, "idempotency_key_reused");
    const other = await h.request("POST", "/api/tasks", { token: v.token, body: { title: "b" }, headers: { "idempotency-key": "k" } });
    assert.equal(other.status, 201);
    assert.equal(other.body.title, "b");
    assert.deepEqual([await count(u.id), await count(v.id)], [1, 1]);
  });

  it("when a request with a key fails, then a corrected retry with the same key runs", async () => {
    const u = await h.user();
    const task = await h.createTask(u.token, { title: "x" });
    const stale = await h.request("POST", `/api/tasks/${task.id}/complete`, { token: u.token, headers: { "idempotency-key": "c1", "if-match": '"99"' } });
    assert.equal(stale.status, 412);
    const ok = await h.request("POST", `/api/tasks/${task.id}/complete`, { token: u.token, headers: { "idempotency-key": "c1", "if-match": `"${task.version}"` } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, "completed");
  });

  it("when complete then reopen are retried with their keys, then each replays its first answer", async () => {
    const u = await h.user();
    const task = await h.createTask(u.token, { title: "toggle" });
    const done = await h.request("POST", `/api/tasks/${task.id}/complete`, { token: u.token, headers: { "idempotency-key": "done" } });
    const open = await h.request("POST", `/api/tasks/${task.id}/reopen`, { token: u.token, headers: { "idempotency-key": "open" } });
    const doneAgain = await h.request("POST", `/api/tasks/${task.id}/complete`, { token: u.token, headers: { "idempotency-key": "done" } });
    assert.deepEqual(doneAgain.body, done.body, "the retry of the completion does not complete the reopened task again");
    const now = await h.request("GET", `/api/tasks/${task.id}`, { token: u.token });
    assert.equal(now.body.status, "pending");
    assert.equal(now.body.version, open.body.version);
  });

  it("when the key is too long or not visible ASCII, then it is 400 naming the header", async () => {
    const u = await h.user();
    for (const key of ["x".repeat(201), "with space", "caf\u00e9"]) {
      const res = await h.request("POST", "/api/tasks", { token: u.token, body: { title: "k" }, headers: { "idempotency-key": key } });
      assert.equal(res.status, 400, key);
      assert.equal(res.body.error.details[0].field, "idempotency-key");
    }
    assert.equal(await count(u.id), 0);
  });
});

describe("change feed: GET /api/tasks?updatedAfter=", () => {
  let h: BackendHarness;
  before(async () => {
    h = await BackendHarness.start();
  });
  after(async () => {
    await h?.stop();
  });

  it("when tasks were created, changed and deleted after an instant, then the feed has them all (deletions as tombstones), paged, and nothing older or of others", async () => {
    const u = await h.user();
    const other = await h.user();
    const old = await h.createTask(u.token, { title: "before" });
    await new Promise((r) => setTimeout(r, 5));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const changed = await h.createTask(u.token, { title: "changed" });
    await h.request("PATCH", `/api/tasks/${changed.id}`, { token: u.token, body: { priority: "high" } });
    const gone = await h.createTask(u.token, { title: "gone" });
    assert.equal((await h.request("DELETE", `/api/tasks/${gone.id}`, { token: u.token })).status, 204);
    await h.request("DELETE", `/api/tasks/${old.id}`, { token: u.token });
    await h.createTask(other.token, { title: "not mine" });

    const items: Array<{ id: string; priority: string }> = [];
    const deleted: Array<{ id: string; deletedAt: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await h.request("GET", `/api/tasks?updatedAfter=${since}&limit=1${cursor ? `&cursor=${cursor}` : ""}`, { token: u.token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      items.push(...res.body.items);
      deleted.push(...res.body.deleted);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(items.map((t) => [t.id, t.priority]), [[changed.id, "high"]]);
    assert.deepEqual(deleted.map((d) => d.id), [gone.id, old.id]);
    assert.ok(deleted.every((d) => Date.parse(d.deletedAt) > Date.parse(since)));
    assert.equal(pages, 3);
  });

  it("when the instant is older than the tombstone retention, or filters come with it, then it is 410 or 400 naming the field", async () => {
    const u = await h.user();
    const tooOld = await h.request("GET", `/api/tasks?updatedAfter=${new Date(Date.now() - 31 * 86_400_000).toISOString()}`, { token: u.token });
    assert.equal(tooOld.status, 410);
    assert.equal(tooOld.body.error.code, "change_feed_expired");
    const mixed = await h.request("GET", `/api/tasks?updatedAfter=${new Date().toISOString()}&status=pending`, { token: u.token });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.error.details[0].field, "status");
    const badCursor = await h.request("GET", `/api/tasks?updatedAfter=${new Date().toISOString()}&cursor=abc`, { token: u.token });
    assert.equal(badCursor.status, 400);
  });
});
