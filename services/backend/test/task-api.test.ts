import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { TaskSchema } from "@todo/contracts/task";
import { TokenService } from "../../shared/src/auth/tokens";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness } from "./backend-harness";

describe("backend task API (real PostgreSQL, recording sidecar)", () => {
  let h: BackendHarness;
  let alice: { token: string; id: string; email: string };
  let bob: { token: string; id: string; email: string };

  before(async () => {
    h = await BackendHarness.start();
    [alice, bob] = await Promise.all([h.user(), h.user()]);
  });
  after(async () => {
    await h?.stop();
    await stopTestDatabases();
  });

  describe("auth", () => {
    it("when a user signs up, then the answer is 201 with a token that opens the task API", async () => {
      const email = `Signup-${randomUUID()}@Example.com`;
      const res = await h.request("POST", "/api/auth/signup", { body: { email, password: "Tr0ub4dor&3x" } });
      assert.equal(res.status, 201);
      assert.equal(res.body.user.email, email.toLowerCase());
      assert.match(res.body.user.id, /^[0-9a-f-]{36}$/);
      const list = await h.request("GET", "/api/tasks", { token: res.body.token });
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.items, []);
    });

    it("when the email is already registered in another case, then signup is 409", async () => {
      const res = await h.request("POST", "/api/auth/signup", { body: { email: alice.email.toUpperCase(), password: "another pass 9" } });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, "email_taken");
    });

    it("when the password is short or uses one character class, then signup is 400 stating the rule", async () => {
      for (const password of ["Ab1!", "abcdefghijklmnop", "1234567890123"]) {
        const res = await h.request("POST", "/api/auth/signup", { body: { email: `${randomUUID()}@example.com`, password } });
        assert.equal(res.status, 400, password);
        assert.equal(res.body.error.code, "weak_password");
        assert.match(res.body.error.message, /10 to 200 characters.*at least two/);
        assert.equal(res.body.error.details[0].field, "password");
      }
    });

    it("when the email is not an email, then signup is 400 naming the field", async () => {
      const res = await h.request("POST", "/api/auth/signup", { body: { email: "nope", password: "long enough 123" } });
      assert.equal(res.status, 400);
      assert.ok(res.body.error.details.some((d: { field: string }) => d.field === "email"));
    });

    it("when the password is right, then login returns a token for the same user (email in any case)", async () => {
      const res = await h.request("POST", "/api/auth/login", { body: { email: alice.email.toUpperCase(), password: "correct horse 1" } });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.id, alice.id);
      assert.equal((await h.request("GET", "/api/tasks", { token: res.body.token })).status, 200);
    });

    it("when the password is wrong or the email unknown, then login is 401 with the same message", async () => {
      const wrong = await h.request("POST", "/api/auth/login", { body: { email: alice.email, password: "wrong horse 1" } });
      const unknown = await h.request("POST", "/api/auth/login", { body: { email: "nobody@example.com", password: "correct horse 1" } });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(wrong.body.error.message, unknown.body.error.message);
    });

    it("when the token is missing, malformed or signed with another secret, then the API is 401", async () => {
      const forged = await new TokenService("some-other-secret-that-is-long-enough-0123").sign({ id: alice.id, email: alice.email });
      for (const token of [undefined, "garbage", forged]) {
        const res = await h.request("GET", "/api/tasks", { token });
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, "unauthorized");
      }
    });
  });

  describe("create and read", () => {
    it("when a task is created, then it is 201 with ETag, Location and exactly the task fields in UTC", async () => {
      const res = await h.request("POST", "/api/tasks", {
        token: alice.token,
        body: { title: "  Pay rent  ", tags: ["home", "money", "home"], dueAt: "2030-01-01T10:00:00+02:00", recurrence: "RRULE:freq=monthly;bymonthday=1" },
      });
      assert.equal(res.status, 201);
      const task = TaskSchema.strict().parse(res.body);
      assert.equal(res.headers.get("etag"), '"1"');
      assert.equal(res.headers.get("location"), `/api/tasks/${task.id}`);
      assert.equal(task.title, "Pay rent");
      assert.equal(task.priority, "medium");
      assert.equal(task.status, "pending");
      assert.deepEqual(task.tags, ["home", "money"]);
      assert.equal(task.dueAt, "2030-01-01T08:00:00.000Z");
      assert.equal(task.recurrence, "FREQ=MONTHLY;BYMONTHDAY=1");
      assert.equal(task.userId, alice.id);
      assert.equal(task.version, 1);

      const got = await h.request("GET", `/api/tasks/${task.id}`, { token: alice.token });
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, res.body);
      assert.equal(got.headers.get("etag"), '"1"');
    });

    const invalid: Array<[string, Record<string, unknown>, string]> = [
      ["no title", { description: "x" }, "title"],
      ["a blank title", { title: "   " }, "title"],
      ["a 201-character title", { title: "x".repeat(201) }, "title"],
      ["a description over 5000", { title: "t", description: "x".repeat(5001) }, "description"],
      ["21 tags", { title: "t", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
      ["a 41-character tag", { title: "t", tags: ["x".repeat(41)] }, "tags.0"],
      ["an unknown priority", { title: "t", priority: "urgent" }, "priority"],
      ["a time without offset", { title: "t", dueAt: "2030-01-01T10:00:00" }, "dueAt"],
      ["a garbage recurrence", { title: "t", recurrence: "every tuesday" }, "recurrence"],
      ["a recurrence without FREQ", { title: "t", recurrence: "BYDAY=MO" }, "recurrence"],
      ["a recurrence with DTSTART", { title: "t", recurrence: "DTSTART:20300101T000000Z\nRRULE:FREQ=DAILY" }, "recurrence"],
      ["a recurrence with a bad COUNT", { title: "t", recurrence: "FREQ=DAILY;COUNT=x" }, "recurrence"],
      ["an unknown field", { title: "t", status: "completed" }, ""],
    ];
    for (const [what, body, field] of invalid) {
      it(`when the body has ${what}, then create is 400 naming ${field || "the field"}`, async () => {
        const res = await h.request("POST", "/api/tasks", { token: alice.token, body });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error.code, "validation_failed");
        if (field) assert.ok(res.body.error.details.some((d: { field: string }) => d.field === field), JSON.stringify(res.body.error.details));
        else assert.match(JSON.stringify(res.body.error), /status/);
      });
    }

    it("when the body is not JSON, too large or not declared JSON, then it is 400, 413, 415", async () => {
      const bad = await h.request("POST", "/api/tasks", { token: alice.token, rawBody: "{", headers: { "content-type": "application/json" } });
      assert.equal(bad.status, 400);
      const big = await h.request("POST", "/api/tasks", { token: alice.token, body: { title: "t", description: "x".repeat(70_000) } });
      assert.equal(big.status, 413);
      const text = await h.request("POST", "/api/tasks", { token: alice.token, rawBody: "title=t", headers: { "content-type": "text/plain" } });
      assert.equal(text.status, 415);
      for (const r of [bad, big, text]) assert.ok(r.body.error.code && r.body.error.message);
    });

    it("when another user's task or a non-uuid id is asked for, then it is 404", async () => {
      const task = await h.createTask(alice.token, { title: "private" });
      for (const [method, path] of [["GET", ""], ["PATCH", ""], ["DELETE", ""], ["POST", "/complete"]] as const) {
        const res = await h.request(method, `/api/tasks/${task.id}${path}`, { token: bob.token, body: method === "PATCH" ? { title: "mine" } : undefined });
        assert.equal(res.status, 404, `${method} ${path}`);
      }
      assert.equal((await h.request("GET", "/api/tasks/not-a-uuid", { token: alice.token })).status, 404);
      assert.equal((await h.request("GET", `/api/tasks/${task.id}`, { token: alice.token })).body.title, "private");
    });
  });

  describe("update, complete, delete", () => {
    it("when a task is patched, then the fields change, the version goes up and ETag follows", async () => {
      const task = await h.createTask(alice.token, { title: "draft", priority: "low" });
      const res = await h.request("PATCH", `/api/tasks/${task.id}`, { token: alice.token, body: { title: "final", priority: "high", remindAt: "2030-05-01T09:00:00Z" } });
      assert.equal(res.status, 200);
      assert.equal(res.body.title, "final");
      assert.equal(res.body.priority, "high");
      assert.equal(res.body.remindAt, "2030-05-01T09:00:00.000Z");
      assert.equal(res.body.version, 2);
      assert.equal(res.headers.get("etag"), '"2"');
      assert.ok(res.body.updatedAt > task.updatedAt);
    });

    it("when If-Match names an old version, then PATCH is 412 with the current version and nothing changes", async () => {
      const task = await h.createTask(alice.token, { title: "v1" });
      assert.equal((await h.request("PATCH", `/api/tasks/${task.id}`, { token: alice.token, body: { title: "v2" }, headers: { "if-match": '"1"' } })).status, 200);
      const stale = await h.request("PATCH", `/api/tasks/${task.id}`, { token: alice.token, body: { title: "v3" }, headers: { "if-match": '"1"' } });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.error.details.currentVersion, 2);
      assert.equal((await h.request("GET", `/api/tasks/${task.id}`, { token: alice.token })).body.title, "v2");
      const fresh = await h.request("PATCH", `/api/tasks/${task.id}`, { token: alice.token, body: { title: "v3" }, headers: { "if-match": 'W/"2"' } });
      assert.equal(fresh.status, 200);
      const malformed = await h.request("PATCH", `/api/tasks/${task.id}`, { token: alice.token, body: { title: "v4" }, headers: { "if-match": "3" } });
      assert.equal(malformed.status, 400);
    });

    it("when a PATCH body is empty or names an unknown field, then it is 400", async () => {
      const task = await h.createTask(alice.token, { title: "t" });
      const empty = await h.request("PATCH", `/api/tasks/${task.id}`, { token: alice.token, body: {} });
      assert.equal(empty.status, 400);
      const unknown = await h.request("PATCH", `/api/tasks/${task.id}`, { token: alice.token, body: { status: "completed" } });
      assert.equal(unknown.status, 400);
      const badDue = await h.request("PATCH", `/api/tasks/${task.id}`, { token: alice.token, body: { dueAt: "tomorrow" } });
      assert.equal(badDue.status, 400);
      assert.equal(badDue.body.error.details[0].field, "dueAt");
    });

    it("when a task is completed twice, then the second call returns the same task and writes no event", async () => {
      const task = await h.createTask(alice.token, { title: "once" });
      const first = await h.request("POST", `/api/tasks/${task.id}/complete`, { token: alice.token });
      assert.equal(first.status, 200);
      assert.equal(first.body.status, "completed");
      assert.ok(first.body.completedAt);
      const second = await h.request("POST", `/api/tasks/${task.id}/complete`, { token: alice.token });
      assert.equal(second.status, 200);
      assert.deepEqual(second.body, first.body);
      const { rows } = await h.sql.query("SELECT type FROM backend.outbox WHERE task_id = $1 ORDER BY seq", [task.id]);
      assert.deepEqual(rows.map((r) => r.type), ["task.created", "task.completed"]);
    });

    it("when a task is deleted, then it is 204 and gone", async () => {
      const task = await h.createTask(alice.token, { title: "bye" });
      const res = await h.request("DELETE", `/api/tasks/${task.id}`, { token: alice.token });
      assert.equal(res.status, 204);
      assert.equal((await h.request("GET", `/api/tasks/${task.id}`, { token: alice.token })).status, 404);
      assert.equal((await h.request("DELETE", `/api/tasks/${task.id}`, { token: alice.token })).status, 404);
    });
  });

  describe("listing", () => {
    let carol: { token: string; id: string };
    const titles: string[] = [];

    before(async () => {
      carol = await h.user();
      const specs = [
        { title: "alpha", priority: "low", tags: ["work"], dueAt: "2030-01-03T00:00:00Z", description: "100% done" },
        { title: "bravo", priority: "high", tags: ["home"], dueAt: null },
        { title: "charlie", priority: "medium", tags: ["work", "urgent"], dueAt: "2030-01-01T00:00:00Z" },
        { title: "delta", priority: "high", tags: [], dueAt: "2030-01-02T00:00:00Z", description: "call the bank" },
        { title: "echo", priority: "low", tags: ["home"], dueAt: null },
        { title: "foxtrot", priority: "medium", tags: ["work"], dueAt: "2030-01-02T00:00:00Z" },
        { title: "golf_1", priority: "high", tags: [], dueAt: null },
      ];
      for (const s of specs) {
        titles.push((await h.createTask(carol.token, s)).title);
        // createdAt has millisecond precision: keep creation times distinct so "newest first" is exact
        await new Promise((r) => setTimeout(r, 3));
      }
      const delta = (await h.request("GET", "/api/tasks?q=delta", { token: carol.token })).body.items[0];
      await h.request("POST", `/api/tasks/${delta.id}/complete`, { token: carol.token });
    });

    async function all(query: string): Promise<Array<{ id: string; title: string; dueAt: string | null; priority: string; createdAt: string }>> {
      const items = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await h.request("GET", `/api/tasks?${query}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: carol.token });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(res.body.items.length <= 2);
        items.push(...res.body.items);
        cursor = res.body.nextCursor;
        assert.ok(++pages < 20, "pagination must end");
      } while (cursor);
      return items;
    }

    it("when listing without options, then the user's tasks come newest first, 20 at most, and only theirs", async () => {
      const res = await h.request("GET", "/api/tasks", { token: carol.token });
      assert.deepEqual(res.body.items.map((t: { title: string }) => t.title), [...titles].reverse());
      assert.equal(res.body.nextCursor, null);
      assert.ok(res.body.items.every((t: { userId: string }) => t.userId === carol.id));
    });

    it("when paging by dueAt ascending or descending, then every task comes once and tasks without dueAt come last", async () => {
      const d = (day: number) => `2030-01-0${day}T00:00:00.000Z`;
      const asc = await all("sort=dueAt&order=asc");
      assert.deepEqual(asc.map((t) => t.dueAt), [d(1), d(2), d(2), d(3), null, null, null]);
      const desc = await all("sort=dueAt&order=desc");
      assert.deepEqual(desc.map((t) => t.dueAt), [d(3), d(2), d(2), d(1), null, null, null]);
      // ties (same dueAt, or none) are broken by id in the sort direction
      const byId = (list: typeof asc, from: number, to: number) => list.slice(from, to).map((t) => t.id);
      assert.deepEqual(byId(asc, 1, 3), [...byId(asc, 1, 3)].sort());
      assert.deepEqual(byId(asc, 4, 7), [...byId(asc, 4, 7)].sort());
      assert.deepEqual(byId(desc, 1, 3), [...byId(desc, 1, 3)].sort().reverse());
      assert.deepEqual(byId(desc, 4, 7), [...byId(desc, 4, 7)].sort().reverse());
      assert.equal(new Set(desc.map((t) => t.title)).size, 7);
    });

    it("when sorting by priority, title or createdAt, then pages follow that order", async () => {
      const byPriority = await all("sort=priority");
      assert.deepEqual(byPriority.map((t) => t.priority), ["high", "high", "high", "medium", "medium", "low", "low"]);
      const asc = await all("sort=priority&order=asc");
      assert.deepEqual(asc.map((t) => t.priority), ["low", "low", "medium", "medium", "high", "high", "high"]);
      assert.deepEqual((await all("sort=title")).map((t) => t.title), [...titles].sort());
      assert.deepEqual((await all("sort=title&order=desc")).map((t) => t.title), [...titles].sort().reverse());
      assert.deepEqual((await all("sort=createdAt&order=asc")).map((t) => t.title), titles);
    });

    it("when filtering by status, priority, tag, due range or text, then only matching tasks come back", async () => {
      const names = async (q: string) => (await all(q)).map((t) => t.title).sort();
      assert.deepEqual(await names("status=completed"), ["delta"]);
      assert.deepEqual(await names("status=pending&priority=high"), ["bravo", "golf_1"]);
      assert.deepEqual(await names("tag=work"), ["alpha", "charlie", "foxtrot"]);
      // half-open: dueAfter inclusive (charlie, due at 01-01 00:00), dueBefore exclusive (alpha, due at 01-03 00:00)
      assert.deepEqual(await names("dueAfter=2030-01-01T00:00:00Z&dueBefore=2030-01-03T00:00:00%2B00:00"), ["charlie", "delta", "foxtrot"]);
      assert.deepEqual(await names("q=BANK"), ["delta"]);
      assert.deepEqual(await names("q=100%25"), ["alpha"]);
      assert.deepEqual(await names("q=%25"), ["alpha"], "% is a literal, not a wildcard");
      assert.deepEqual(await names("q=g_lf"), [], "_ is a literal, not a wildcard");
      assert.deepEqual(await names("q=golf_"), ["golf_1"]);
    });

    it("when the query or cursor is invalid, then it is 400 naming the parameter", async () => {
      for (const [q, field] of [["limit=0", "limit"], ["limit=101", "limit"], ["sort=color", "sort"], ["status=done", "status"], ["dueBefore=soon", "dueBefore"], ["cursor=abc", "cursor"]]) {
        const res = await h.request("GET", `/api/tasks?${q}`, { token: carol.token });
        assert.equal(res.status, 400, q);
        assert.ok(JSON.stringify(res.body.error).includes(field!), `${q}: ${JSON.stringify(res.body.error)}`);
      }
      const page = await h.request("GET", "/api/tasks?sort=title&limit=1", { token: carol.token });
      const reused = await h.request("GET", `/api/tasks?sort=dueAt&limit=1&cursor=${page.body.nextCursor}`, { token: carol.token });
      assert.equal(reused.status, 400);
      assert.match(reused.body.error.message, /different sort/);
    });

    it("when another user lists, then none of these tasks appear", async () => {
      const res = await h.request("GET", "/api/tasks?limit=100&q=a", { token: bob.token });
      assert.ok(res.body.items.every((t: { userId: string }) => t.userId === bob.id));
      assert.ok(!res.body.items.some((t: { title: string }) => titles.includes(t.title)));
    });
  });
});
