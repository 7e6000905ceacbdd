import assert from "node:assert/strict";
import { loadConfig } from "../../shared/src/config";
import { makeEvent } from "@todo/contracts/envelope";
import type { RunningService } from "../../shared/src/http/run-service";
import { eventProcessorConfigSchema } from "../../event-processor/src/config";
import { start as startEventProcessor } from "../../event-processor/src/event-processor-service";
import { notificationConfigSchema } from "../../notification/src/config";
import { start as startNotification } from "../../notification/src/notification-service";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness, until } from "./backend-harness";

/**
 * History as its reader expects it: the backend with the real event-processor behind the recording
 * sidecar. The sidecar records publishes but delivers nothing by itself, so the audit trail lags by
 * as much as the test wants: the worst case of a slow broker, every time.
 */
describe("task history: read-your-writes and what changed", () => {
  let h: BackendHarness;
  let ep: RunningService;
  let notification: RunningService;
  let user: { token: string; id: string };

  before(async () => {
    h = await BackendHarness.start();
    const env = { PORT: "0", HOST: "127.0.0.1", DATABASE_URL: h.db.url, DAPR_HTTP_PORT: String(h.sidecar.address.DAPR_HTTP_PORT), LOG_LEVEL: "silent" };
    ep = await startEventProcessor(loadConfig(eventProcessorConfigSchema, env));
    notification = await startNotification(loadConfig(notificationConfigSchema, env));
    h.sidecar.setInvokeTarget("event-processor", ep.url);
    h.sidecar.setInvokeTarget("notification", notification.url);
    h.sidecar.setInvokeTarget("backend", h.service.url);
    user = await h.user();
  });
  after(async () => {
    await notification?.stop();
    await ep?.stop();
    await h?.stop();
    await stopTestDatabases();
  });

  const history = (id: string, token = user.token) => h.request("GET", `/api/tasks/${id}/history`, { token });

  async function deliverPublished(taskId: string) {
    const events = h.sidecar.published.map((p) => p.body as Record<string, unknown>).filter((e) => e.subject === taskId && String(e.type).startsWith("task."));
    for (const e of events) {
      const res = await fetch(`${ep.url}/events/task-events`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify({ ...e, topic: "task-events", pubsubname: "pubsub" }),
      });
      assert.equal(((await res.json()) as { status: string }).status, "SUCCESS");
    }
    return events.length;
  }

  it("when a task was just created, then its history has the creation at once (never 404)", async () => {
    const task = await h.createTask(user.token, { title: "fresh" });
    const res = await history(task.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.items.map((i: { type: string }) => i.type), ["task.created"]);
    assert.equal(res.body.items[0].data.title, "fresh");
  });

  it("when a PATCH was confirmed, then the update with each field's before and after is in the history at once", async () => {
    const task = await h.createTask(user.token, { title: "plan", description: "old words", tags: ["home"], priority: "medium" });
    const patched = await h.request("PATCH", `/api/tasks/${task.id}`, {
      token: user.token,
      body: { priority: "high", tags: ["home", "urgent"], description: "new words" },
    });
    assert.equal(patched.status, 200);
    const res = await history(task.id);
    assert.deepEqual(res.body.items.map((i: { type: string }) => i.type), ["task.created", "task.updated"]);
    const update = res.body.items[1].data;
    assert.deepEqual(update.changes, ["description", "priority", "tags"]);
    assert.deepEqual(update.diff, [
      { field: "description", before: "old words", after: "new words" },
      { field: "priority", before: "medium", after: "high" },
      { field: "tags", before: ["home"], after: ["home", "urgent"] },
    ]);
  });

  it("when the events reach the audit trail afterwards, then each appears once, with the same content as before", async () => {
    const task = await h.createTask(user.token, { title: "once" });
    await h.request("PATCH", `/api/tasks/${task.id}`, { token: user.token, body: { title: "twice?" } });
    const before = (await history(task.id)).body.items;
    await waitForPublishes(h, task.id, 2);
    assert.equal(await deliverPublished(task.id), 2);
    const after = (await history(task.id)).body.items;
    assert.deepEqual(after, before);
  });

  it("when a task was reopened, then the history has a task.reopened line with the task pending again", async () => {
    const task = await h.createTask(user.token, { title: "again" });
    await h.request("POST", `/api/tasks/${task.id}/complete`, { token: user.token });
    const reopened = await h.request("POST", `/api/tasks/${task.id}/reopen`, { token: user.token });
    const items = (await history(task.id)).body.items;
    assert.deepEqual(items.map((i: { type: string }) => i.type), ["task.created", "task.completed", "task.reopened"]);
    assert.deepEqual([items[2].data.status, items[2].data.completedAt, items[2].data.version], ["pending", null, reopened.body.version]);
  });

  it("when the user exports, then one JSON document holds their tasks with history and their notifications, and nobody else's", async () => {
    const u = await h.user();
    const other = await h.user();
    const tasks: Array<{ id: string }> = [];
    // more than one export page (200 tasks), created straight in the database for speed (ms-precision times, as the API writes them)
    await h.sql.query(
      `INSERT INTO backend.tasks (id, user_id, title, series_id, series_start, created_at, updated_at)
       SELECT id, $1, 'bulk ' || n, id, now(), date_trunc('milliseconds', now()) + n * interval '1 ms', now() FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, 230) n) s`,
      [u.id],
    );
    tasks.push(await h.createTask(u.token, { title: "exported", priority: "high" }));
    await h.request("PATCH", `/api/tasks/${tasks[0].id}`, { token: u.token, body: { priority: "low" } });
    await waitForPublishes(h, tasks[0].id, 2);
    await deliverPublished(tasks[0].id);
    await h.createTask(other.token, { title: "theirs" });
    for (const userId of [u.id, other.id]) {
      const due = makeEvent({
        type: "reminder.due",
        source: "reminder-scheduler",
        subject: tasks[0].id,
        userId,
        correlationId: "c",
        data: { taskId: tasks[0].id, remindAt: new Date().toISOString(), title: "exported", firedAt: new Date().toISOString() },
      });
      const delivered = await fetch(`${notification.url}/events/reminders`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify({ ...due, topic: "reminders", pubsubname: "pubsub" }),
      });
      assert.equal(((await delivered.json()) as { status: string }).status, "SUCCESS");
    }

    const res = await h.request("GET", "/api/export", { token: u.token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.headers.get("content-disposition") ?? "", /attachment; filename="todo-export-/);
    assert.equal(res.body.user.id, u.id);
    assert.equal(res.body.tasks.length, 231);
    assert.equal(new Set(res.body.tasks.map((t: { id: string }) => t.id)).size, 231);
    const exported = res.body.tasks.find((t: { id: string }) => t.id === tasks[0].id);
    assert.equal(exported.priority, "low");
    assert.deepEqual(exported.history.map((i: { type: string }) => i.type), ["task.created", "task.updated"]);
    assert.deepEqual(exported.history[1].data.diff, [{ field: "priority", before: "high", after: "low" }]);
    assert.equal(res.body.notifications.length, 1);
    assert.equal(res.body.notifications[0].title, "exported");
    assert.ok(res.body.tasks.every((t: { userId: string }) => t.userId === u.id));
  });

  it("when the notification service cannot be reached, then the export is 503 before any byte", async () => {
    const u = await h.user();
    h.sidecar.setInvokeTarget("notification", "http://127.0.0.1:9");
    try {
      const res = await h.request("GET", "/api/export", { token: u.token });
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, "unavailable");
    } finally {
      h.sidecar.setInvokeTarget("notification", notification.url);
    }
  });

  it("when the user deletes the account with the password, then login stops, the history and notifications are erased through account.deleted, and late events record nothing", async () => {
    const u = await h.user();
    const other = await h.user();
    const task = await h.createTask(u.token, { title: "mine, soon gone" });
    const theirs = await h.createTask(other.token, { title: "stays" });
    await waitForPublishes(h, task.id, 1);
    await waitForPublishes(h, theirs.id, 1);
    await deliverPublished(task.id);
    await deliverPublished(theirs.id);
    const due = (userId: string, taskId: string) =>
      makeEvent({ type: "reminder.due", source: "reminder-scheduler", subject: taskId, userId, correlationId: "c", data: { taskId, remindAt: new Date().toISOString(), title: "t", firedAt: new Date().toISOString() } });
    const post = async (service: RunningService, path: string, event: unknown) => {
      const res = await fetch(`${service.url}${path}`, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(event) });
      return ((await res.json()) as { status: string }).status;
    };
    assert.equal(await post(notification, "/events/reminders", due(u.id, task.id)), "SUCCESS");
    assert.equal(await post(notification, "/events/reminders", due(other.id, theirs.id)), "SUCCESS");
    const auditRows = async (userId: string) => (await h.sql.query("SELECT count(*)::int AS n FROM event_processor.audit_events WHERE user_id = $1", [userId])).rows[0].n;
    const notificationRows = async (userId: string) => (await h.sql.query("SELECT count(*)::int AS n FROM notification.notifications WHERE user_id = $1", [userId])).rows[0].n;
    assert.deepEqual([await auditRows(u.id), await notificationRows(u.id)], [1, 1]);

    const wrong = await h.request("DELETE", "/api/account", { token: u.token, body: { password: "not my password 1" } });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error.details[0].field, "password");
    const missing = await h.request("DELETE", "/api/account", { token: u.token, body: {} });
    assert.equal(missing.status, 400);
    const gone = await h.request("DELETE", "/api/account", { token: u.token, body: { password: "correct horse 1" } });
    assert.equal(gone.status, 204);

    const login = await h.request("POST", "/api/auth/login", { body: { email: u.email, password: "correct horse 1" } });
    assert.equal(login.status, 401);
    assert.equal((await h.request("GET", `/api/tasks/${task.id}`, { token: u.token })).status, 404);
    assert.equal((await h.request("POST", "/api/tasks", { token: u.token, body: { title: "after" } })).status, 401);
    assert.equal((await h.request("DELETE", "/api/account", { token: u.token, body: { password: "correct horse 1" } })).status, 404);

    await until("account.deleted published", () => h.sidecar.published.some((p) => (p.body as { type?: string }).type === "account.deleted" && (p.body as { subject?: string }).subject === u.id));
    const event = h.sidecar.published.map((p) => p.body as Record<string, unknown>).find((e) => e.type === "account.deleted" && e.subject === u.id)!;
    assert.equal(h.sidecar.published.find((p) => p.body === event)!.topic, "accounts");
    for (const service of [ep, notification]) {
      assert.equal(await post(service, "/events/accounts", { ...event, topic: "accounts", pubsubname: "pubsub" }), "SUCCESS");
      assert.equal(await post(service, "/events/accounts", { ...event, topic: "accounts", pubsubname: "pubsub" }), "SUCCESS", "a redelivery is harmless");
    }
    assert.deepEqual([await auditRows(u.id), await notificationRows(u.id)], [0, 0]);
    assert.deepEqual([await auditRows(other.id), await notificationRows(other.id)], [1, 1], "nobody else's data goes");

    // an event of the erased user still in flight on another partition records nothing
    const late = { ...h.sidecar.published.map((p) => p.body as Record<string, unknown>).find((e) => e.subject === task.id)!, id: "late-event" };
    assert.equal(await post(ep, "/events/task-events", { ...late, topic: "task-events", pubsubname: "pubsub" }), "SUCCESS");
    assert.equal(await post(notification, "/events/reminders", due(u.id, task.id)), "SUCCESS");
    assert.deepEqual([await auditRows(u.id), await notificationRows(u.id)], [0, 0]);
  });

  it("when someone else asks for the task's history, then it is 404 even while the events are unaudited", async () => {
    const task = await h.createTask(user.token, { title: "mine" });
    const other = await h.user();
    const res = await history(task.id, other.token);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "not_found");
  });
});

async function waitForPublishes(h: BackendHarness, taskId: string, n: number) {
  const deadline = Date.now() + 10_000;
  while (h.sidecar.published.filter((p) => (p.body as { subject?: string }).subject === taskId && String((p.body as { type?: string }).type).startsWith("task.")).length < n) {
    if (Date.now() > deadline) throw new Error(`fewer than ${n} task events published for ${taskId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
