import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { stopTestDatabases } from "../../testing/database";
import { encodeCursor } from "../src/domain/list-cursor";
import { BackendHarness, type Reply } from "./backend-harness";

const NUL = "a\u0000b";
const LONE_HIGH = "title \ud800";
const LONE_LOW = "\udc00 title";
// UTC values outside years 1–9999, each written as a string that looks like a plain ISO 8601 time.
const OUT_OF_RANGE = ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-12:00"];

function assertNamesField(res: Reply, field: string, what: string) {
  assert.equal(res.status, 400, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  const fields = (res.body.error.details ?? []).map((d: { field: string }) => d.field);
  assert.ok(fields.includes(field), `${what}: expected ${field} in ${JSON.stringify(fields)}`);
}

/**
 * Values that pass a plain `z.string()` / `z.iso.datetime()` but that PostgreSQL or the outbox's JSON
 * cannot hold: each must be a 400 naming the field, never a 500.
 */
describe("backend: values the database cannot store are 400s naming the field", () => {
  let h: BackendHarness;
  let user: { token: string; id: string; email: string };
  let taskId: string;

  before(async () => {
    h = await BackendHarness.start();
    user = await h.user();
    taskId = (await h.createTask(user.token, { title: "fixture" })).id;
  });
  after(async () => {
    await h?.stop();
    await stopTestDatabases();
  });

  it("when a task's title, description or tag holds NUL or a lone surrogate, then create and PATCH are 400", async () => {
    for (const bad of [NUL, LONE_HIGH, LONE_LOW]) {
      for (const [field, body] of [
        ["title", { title: bad }],
        ["description", { title: "t", description: bad }],
        ["tags.0", { title: "t", tags: [bad] }],
      ] as const) {
        assertNamesField(await h.request("POST", "/api/tasks", { token: user.token, body }), field, `create ${field} ${JSON.stringify(bad)}`);
        const { title: _t, ...patch } = body as Record<string, unknown>;
        const patchBody = field === "title" ? { title: bad } : patch;
        assertNamesField(await h.request("PATCH", `/api/tasks/${taskId}`, { token: user.token, body: patchBody }), field, `patch ${field} ${JSON.stringify(bad)}`);
      }
    }
  });

  it("when q or tag holds NUL, then the listing is 400 naming it", async () => {
    for (const param of ["q", "tag"]) {
      assertNamesField(await h.request("GET", `/api/tasks?${param}=${encodeURIComponent(NUL)}`, { token: user.token }), param, param);
    }
  });

  it("when the login or signup email holds NUL or a lone surrogate, then it is 400, not a lookup", async () => {
    for (const email of [`x${NUL}@example.com`, `x\ud800@example.com`]) {
      assertNamesField(await h.request("POST", "/api/auth/login", { body: { email, password: "whatever 123" } }), "email", `login ${JSON.stringify(email)}`);
      assert.equal((await h.request("POST", "/api/auth/signup", { body: { email, password: "Unusual-passphrase-42" } })).status, 400);
    }
  });

  it("when dueAt, remindAt, dueBefore or dueAfter is outside years 1–9999 in UTC, then it is 400 naming it", async () => {
    for (const at of OUT_OF_RANGE) {
      assertNamesField(await h.request("POST", "/api/tasks", { token: user.token, body: { title: "t", dueAt: at } }), "dueAt", `create dueAt ${at}`);
      assertNamesField(await h.request("POST", "/api/tasks", { token: user.token, body: { title: "t", remindAt: at } }), "remindAt", `create remindAt ${at}`);
      assertNamesField(await h.request("PATCH", `/api/tasks/${taskId}`, { token: user.token, body: { dueAt: at } }), "dueAt", `patch dueAt ${at}`);
      assertNamesField(await h.request("PATCH", `/api/tasks/${taskId}`, { token: user.token, body: { remindAt: at } }), "remindAt", `patch remindAt ${at}`);
      for (const param of ["dueBefore", "dueAfter"]) {
        assertNamesField(await h.request("GET", `/api/tasks?${param}=${encodeURIComponent(at)}`, { token: user.token }), param, `${param} ${at}`);
      }
    }
  });

  it("when a time is at the very edge of years 1–9999, then it is stored and answered unchanged", async () => {
    for (const at of ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "0001-01-01T00:59:00+00:59"]) {
      const res = await h.request("POST", "/api/tasks", { token: user.token, body: { title: "edge", dueAt: at } });
      assert.equal(res.status, 201, `${at}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.dueAt, new Date(at).toISOString());
    }
  });

  it("when an edited cursor carries a time Date.parse accepts but PostgreSQL does not, then it is 400 naming cursor", async () => {
    const id = randomUUID();
    for (const value of ["2020", "1", "+275760-09-13T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "2020-01-01"]) {
      for (const sort of ["createdAt", "dueAt"] as const) {
        const order = sort === "createdAt" ? "desc" : "asc";
        const cursor = encodeCursor({ sort, order, value, id });
        assertNamesField(await h.request("GET", `/api/tasks?sort=${sort}&order=${order}&cursor=${cursor}`, { token: user.token }), "cursor", `${sort} cursor ${value}`);
      }
    }
    const titleCursor = encodeCursor({ sort: "title", order: "asc", value: NUL, id });
    assertNamesField(await h.request("GET", `/api/tasks?sort=title&cursor=${titleCursor}`, { token: user.token }), "cursor", "title cursor with NUL");
  });

  it("when the change feed gets an updatedAfter or an edited cursor outside what PostgreSQL takes, then it is 400 naming it", async () => {
    const recent = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
    for (const at of OUT_OF_RANGE) {
      assertNamesField(await h.request("GET", `/api/tasks?updatedAfter=${encodeURIComponent(at)}`, { token: user.token }), "updatedAfter", `updatedAfter ${at}`);
    }
    for (const at of ["2020", "1", "+275760-09-13T00:00:00.000Z", "0000-01-01T00:00:00.000Z"]) {
      const cursor = Buffer.from(JSON.stringify({ f: 1, at, id: randomUUID() })).toString("base64url");
      const res = await h.request("GET", `/api/tasks?updatedAfter=${recent}&cursor=${cursor}`, { token: user.token });
      assert.equal(res.status, 400, `feed cursor ${at}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(JSON.stringify(res.body.error), /cursor/);
    }
  });

  it("when a cursor is one the API made, then it still pages", async () => {
    await h.createTask(user.token, { title: "second" });
    const first = await h.request("GET", "/api/tasks?limit=1", { token: user.token });
    assert.ok(first.body.nextCursor);
    const next = await h.request("GET", `/api/tasks?limit=1&cursor=${first.body.nextCursor}`, { token: user.token });
    assert.equal(next.status, 200);
    assert.notEqual(next.body.items[0].id, first.body.items[0].id);
  });
});
