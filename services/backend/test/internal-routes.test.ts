import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TaskCreated } from "@todo/contracts/events";
import { TaskSchema } from "@todo/contracts/task";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness } from "./backend-harness";

/** A stand-in event-processor answering the history route and recording what it was asked. */
async function fakeEventProcessor(): Promise<{ url: string; asked: string[]; server: Server }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    const m = /^\/internal\/tasks\/([^/]+)\/history$/.exec(url.pathname);
    res.setHeader("content-type", "application/json");
    if (m && url.searchParams.get("userId")) {
      if (m[1] === "00000000-0000-4000-8000-000000000000") {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { code: "not_found", message: "task not found", details: null } }));
        return;
      }
      res.end(JSON.stringify({ items: [{ type: "task.created", at: new Date().toISOString(), eventId: "e1", correlationId: "c1", data: { title: "audited", version: 1 } }] }));
      return;
    }
    res.statusCode = 500;
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, server };
}

describe("backend internal routes and history proxy", () => {
  let h: BackendHarness;
  let user: { token: string; id: string };

  before(async () => {
    h = await BackendHarness.start();
    user = await h.user();
  });
  after(async () => {
    await h?.stop();
    await stopTestDatabases();
  });

  const internal = (method: string, path: string, body?: unknown) => h.request(method, `/internal/tasks/${path}`, { body });

  it("when a task is read internally, then it comes with its series: its own id, index 1, start = dueAt or createdAt", async () => {
    const withDue = await h.createTask(user.token, { title: "weekly", dueAt: "2030-03-04T09:00:00+01:00", recurrence: "FREQ=WEEKLY" });
    const res = await internal("GET", withDue.id);
    assert.equal(res.status, 200);
    TaskSchema.parse(res.body.task);
    assert.deepEqual(res.body.series, { id: withDue.id, start: "2030-03-04T08:00:00.000Z", index: 1 });
    const noDue = await h.createTask(user.token, { title: "daily", recurrence: "FREQ=DAILY" });
    assert.equal((await internal("GET", noDue.id)).body.series.start, noDue.createdAt);
    assert.equal((await internal("GET", randomUUID())).status, 404);
    assert.equal((await internal("GET", "nope")).status, 404);
  });

  /** The body the event-processor sends for a completed task (see the recurring-task consumer). */
  function nextBody(parent: { id: string; userId: string; title: string; description: string; priority: string; tags: string[]; recurrence: string | null }, over: Record<string, unknown> = {}) {
    return {
      eventId: `evt-${randomUUID()}`, correlationId: "evt-123", parentTaskId: parent.id, userId: parent.userId, title: parent.title,
      description: parent.description, priority: parent.priority, tags: parent.tags, recurrence: parent.recurrence, timeZone: "UTC",
      seriesId: parent.id, seriesStart: "2030-01-01T09:00:00Z", seriesSlot: "2030-01-02T09:00:00+00:00", seriesIndex: 2,
      dueAt: "2030-01-02T09:00:00+00:00", remindAt: "2030-01-02T08:45:00Z", ...over,
    };
  }

  it("when the next occurrence is asked with an invalid body or for a gone owner, then it is 400 or 404", async () => {
    const task = await h.createTask(user.token, { title: "not yet", recurrence: "FREQ=DAILY" });
    const bad = await h.request("POST", "/internal/tasks/next-occurrence", { body: nextBody(task, { dueAt: "tomorrow" }) });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, "dueAt");
    const badRule = await h.request("POST", "/internal/tasks/next-occurrence", { body: nextBody(task, { recurrence: "FREQ=DAILY;BYHOUR=99" }) });
    assert.equal(badRule.status, 400);
    const never = await h.request("POST", "/internal/tasks/next-occurrence", { body: nextBody(task, { parentVersion: task.version }) });
    assert.equal(never.status, 409, "the parent is pending at the event's version: it never had that completion");
    const orphan = nextBody({ ...task, id: randomUUID(), userId: randomUUID() });
    assert.equal((await h.request("POST", "/internal/tasks/next-occurrence", { body: orphan })).status, 404, "the owner is gone");
  });

  it("when the completed task was reopened before its event was handled, then its next occurrence is still created, and completing it again makes no second", async () => {
    // untick right after a tick: the outcome must not depend on whether the event-processor was faster
    // (it was a 409, retried for a minute, then a dead letter — and no occurrence)
    const first = await h.createTask(user.token, { title: "oops", dueAt: "2030-01-01T09:00:00Z", recurrence: "FREQ=DAILY" });
    const done = await h.request("POST", `/api/tasks/${first.id}/complete`, { token: user.token });
    await h.request("POST", `/api/tasks/${first.id}/reopen`, { token: user.token });
    const created = await h.request("POST", "/internal/tasks/next-occurrence", { body: nextBody(first, { parentVersion: done.body.version }) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.task.seriesIndex, created.body.task.seriesId], [2, first.id]);
    await h.request("POST", `/api/tasks/${first.id}/complete`, { token: user.token });
    const again = await h.request("POST", "/internal/tasks/next-occurrence", { body: nextBody(first) });
    assert.deepEqual([again.status, again.body.task.id], [200, created.body.task.id], "the second completion finds the first one's occurrence");
  });

  it("when the completed task was deleted before its event was handled, then its next occurrence is still created, once (18.1)", async () => {
    const first = await h.createTask(user.token, { title: "gone", dueAt: "2030-01-01T09:00:00Z", recurrence: "FREQ=DAILY" });
    await h.request("POST", `/api/tasks/${first.id}/complete`, { token: user.token });
    await h.request("DELETE", `/api/tasks/${first.id}`, { token: user.token });
    const body = nextBody(first);
    const answers = await Promise.all([1, 2, 3].map(() => h.request("POST", "/internal/tasks/next-occurrence", { body })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 201]);
    const next = TaskSchema.parse(answers[0]!.body.task);
    assert.deepEqual([next.seriesId, next.seriesIndex, next.dueAt], [first.id, 2, "2030-01-02T09:00:00.000Z"]);
  });

  it("when the completed task's DELETE commits while its next occurrence is being inserted, then the occurrence is still created (18.1 race)", async () => {
    const first = await h.createTask(user.token, { title: "raced", dueAt: "2030-01-01T09:00:00Z", recurrence: "FREQ=DAILY" });
    await h.request("POST", `/api/tasks/${first.id}/complete`, { token: user.token });
    const deleter = await h.sql.connect();
    try {
      await deleter.query("BEGIN");
      await deleter.query("DELETE FROM backend.tasks WHERE id = $1", [first.id]);
      // the insert sees the parent in its snapshot, its foreign-key check waits for the DELETE to commit
      const answer = h.request("POST", "/internal/tasks/next-occurrence", { body: nextBody(first) });
      await new Promise((r) => setTimeout(r, 300));
      await deleter.query("COMMIT");
      const res = await answer;
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.task.seriesId, first.id);
    } finally {
      deleter.release();
    }
  });

  it("when 10 callers ask for the next occurrence at once, then exactly one is created (201) and the rest get it (200)", async () => {
    const first = await h.createTask(user.token, { title: "standup", tags: ["team"], priority: "high", dueAt: "2030-01-01T09:00:00Z", recurrence: "FREQ=DAILY" });
    await h.request("POST", `/api/tasks/${first.id}/complete`, { token: user.token });
    const body = nextBody(first);
    // the same event redelivered, and a second completion event for the same parent
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => h.request("POST", "/internal/tasks/next-occurrence", { body: i % 2 ? body : { ...body, eventId: "evt-other" } })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((a) => a.body.task.id));
    assert.equal(ids.size, 1);
    const next = TaskSchema.parse(answers[0]!.body.task);
    assert.equal(next.status, "pending");
    assert.equal(next.title, "standup");
    assert.deepEqual(next.tags, ["team"]);
    assert.equal(next.priority, "high");
    assert.equal(next.recurrence, "FREQ=DAILY");
    assert.equal(next.dueAt, "2030-01-02T09:00:00.000Z");
    assert.equal(next.userId, user.id);
    assert.deepEqual((await internal("GET", next.id)).body.series, { id: first.id, start: "2030-01-01T09:00:00.000Z", index: 2 });

    const { rows } = await h.sql.query("SELECT type, payload FROM backend.outbox WHERE task_id = $1 ORDER BY seq", [next.id]);
    assert.deepEqual(rows.map((r) => r.type), ["task.created", "reminder.scheduled"]);
    const created = TaskCreated.parse(rows[0].payload);
    assert.equal(created.correlationId, "evt-123");
    const listed = await h.request("GET", "/api/tasks?q=standup", { token: user.token });
    assert.equal(listed.body.items.length, 2);
  });

  it("when the history is asked for, then the event-processor's answer is relayed for the caller only", async () => {
    const ep = await fakeEventProcessor();
    h.sidecar.setInvokeTarget("event-processor", ep.url);
    try {
      const task = await h.createTask(user.token, { title: "audited" });
      const res = await h.request("GET", `/api/tasks/${task.id}/history`, { token: user.token });
      assert.equal(res.status, 200);
      // the fake's own line, plus the task's created event from the outbox (not audited by the fake)
      assert.deepEqual(res.body.items.map((i: { type: string }) => i.type), ["task.created", "task.created"]);
      assert.ok(res.body.items.some((i: { eventId: string }) => i.eventId === "e1"));
      assert.equal(ep.asked.at(-1), `/internal/tasks/${task.id}/history?userId=${user.id}`);
      const missing = await h.request("GET", "/api/tasks/00000000-0000-4000-8000-000000000000/history", { token: user.token });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, "not_found");
      assert.equal((await h.request("GET", `/api/tasks/${task.id}/history`)).status, 401);
      assert.equal((await h.request("GET", "/api/tasks/nope/history", { token: user.token })).status, 404);
    } finally {
      h.sidecar.setInvokeTarget("event-processor", undefined);
      await new Promise((r) => ep.server.close(r));
    }
  });

  it("when the event-processor cannot be reached, then history is 503 with a JSON error", async () => {
    const res = await h.request("GET", `/api/tasks/${randomUUID()}/history`, { token: user.token });
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, "unavailable");
    h.sidecar.setInvokeTarget("event-processor", "http://127.0.0.1:9"); // nothing listens there
    const down = await h.request("GET", `/api/tasks/${randomUUID()}/history`, { token: user.token });
    assert.equal(down.status, 503);
    h.sidecar.setInvokeTarget("event-processor", undefined);
  });
});
