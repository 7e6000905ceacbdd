import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import express from "express";
import pg from "pg";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { ConfigError, loadConfig } from "../../shared/src/config";
import { createLogger } from "../../shared/src/telemetry/logger";
import { listen, type RunningService } from "../../shared/src/http/run-service";
import { makeEvent } from "@todo/contracts/envelope";
import { type EventOf } from "@todo/contracts/events";
import { TokenService } from "../../shared/src/auth/tokens";
import { eventsConsumed } from "../../shared/src/telemetry/event-metrics";
import { notificationsSent } from "../../shared/src/telemetry/notification-metrics";
import { notificationConfigSchema } from "../src/config";
import { start } from "../src/notification-service";
import { NOTIFICATION_CONSUMER } from "../src/consumers/reminder-consumer";
// the event-processor's fake sidecar serves publish and secrets too (both folders are tested together)
import { startRecordingSidecar, type RecordingSidecar } from "../../testing/recording-sidecar";

const JWT_SECRET = "test-secret-that-is-long-enough-for-hs256!";

async function counterValue(counter: { get(): Promise<{ values: Array<{ labels: Record<string, unknown>; value: number }> }> }, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((s, v) => s + v.value, 0);
}

async function deliver(service: RunningService, event: unknown): Promise<string> {
  const res = await fetch(`${service.url}/events/reminders`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify({ ...(event as object), topic: "reminders", pubsubname: "pubsub" }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { status: string }).status;
}

function reminderDue(opts: { userId: string; taskId?: string; remindAt?: string; title?: string; id?: string }): EventOf<"reminder.due"> {
  const taskId = opts.taskId ?? randomUUID();
  return makeEvent({
    type: "reminder.due",
    source: "reminder-scheduler",
    subject: taskId,
    userId: opts.userId,
    correlationId: `c-${taskId}`,
    id: opts.id,
    data: { taskId, remindAt: opts.remindAt ?? "2024-03-01T08:30:00.000Z", title: opts.title ?? "water the plants", firedAt: new Date().toISOString() },
  });
}

interface ApiNotification {
  id: string;
  taskId: string;
  title: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

describe("notification (real PostgreSQL, fake sidecar)", () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  let sidecar: RecordingSidecar;
  let a: RunningService;
  let b: RunningService;
  const tokens = new TokenService(JWT_SECRET);
  const env = () => ({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: db.url, DAPR_HTTP_PORT: String(sidecar.port), LOG_LEVEL: "silent" });

  before(async () => {
    db = await createTestDatabase();
    sidecar = await startRecordingSidecar({ secrets: { "jwt-secret": JWT_SECRET } });
    const config = loadConfig(notificationConfigSchema, env());
    [a, b] = await Promise.all([start(config), start(config)]);
    sql = new pg.Pool({ connectionString: db.url });
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop(), sidecar?.stop(), sql?.end()]);
    await db?.stop();
    await stopTestDatabases();
  });

  async function rowsOfTask(taskId: string): Promise<Array<{ id: string; published_at: string | null }>> {
    return (await sql.query("SELECT id, published_at FROM notification.notifications WHERE task_id = $1", [taskId])).rows;
  }
  const publishedFor = (taskId: string) =>
    sidecar.published
      .map((p) => ({ ...p, body: p.body as { type: string; id: string; subject: string; userId: string; data: { taskId: string } } }))
      .filter((p) => p.topic === "notifications" && p.body.data.taskId === taskId);

  async function api(service: RunningService, path: string, userId: string | null, method = "GET") {
    const headers: Record<string, string> = {};
    if (userId) headers.authorization = `Bearer ${await tokens.sign({ id: userId, email: `${userId}@example.com` })}`;
    const res = await fetch(`${service.url}${path}`, { method, headers });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  }

  describe("reminder.due", () => {
    it("when the same reminder.due is delivered twice, then one notification is stored and announced once, keyed by its id", async () => {
      const userId = randomUUID();
      const e = reminderDue({ userId });
      assert.equal(await deliver(a, e), "SUCCESS");
      assert.equal(await deliver(a, e), "SUCCESS");
      const rows = await rowsOfTask(e.data.taskId);
      assert.equal(rows.length, 1);
      assert.ok(rows[0]!.published_at);
      const published = publishedFor(e.data.taskId);
      assert.equal(published.length, 1);
      const sent = published[0]!;
      assert.equal(sent.body.type, "notification.sent");
      assert.equal(sent.body.id, rows[0]!.id, "the event id is the notification id");
      assert.equal(sent.body.subject, e.data.taskId);
      assert.equal(sent.body.userId, userId);
      assert.equal(sent.metadata.partitionKey, e.data.taskId);
      assert.match(sent.contentType ?? "", /cloudevents\+json/);
    });

    it("when one reminder reaches two replicas at once, also as two events, then there is one notification and one announcement", async () => {
      const userId = randomUUID();
      const e = reminderDue({ userId });
      const again = { ...reminderDue({ userId, taskId: e.data.taskId, remindAt: e.data.remindAt }) }; // a second firing of the same reminder
      const verdicts = await Promise.all([deliver(a, e), deliver(b, e), deliver(a, again), deliver(b, again)]);
      assert.deepEqual(verdicts, ["SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"]);
      assert.equal((await rowsOfTask(e.data.taskId)).length, 1);
      assert.equal(publishedFor(e.data.taskId).length, 1);
    });

    it("when a rescheduled reminder fires at its new time, then that is a notification of its own", async () => {
      const userId = randomUUID();
      const first = reminderDue({ userId, remindAt: "2024-03-01T08:00:00.000Z" });
      const second = reminderDue({ userId, taskId: first.data.taskId, remindAt: "2024-03-01T09:00:00.000Z" });
      assert.equal(await deliver(a, first), "SUCCESS");
      assert.equal(await deliver(a, second), "SUCCESS");
      assert.equal((await rowsOfTask(first.data.taskId)).length, 2);
    });

    it("when the sidecar fails to publish, then the delivery is retried, the notification is already listed, and the retry announces it once", async () => {
      const userId = randomUUID();
      const e = reminderDue({ userId });
      const failuresBefore = await counterValue(notificationsSent, { channel: "in-app", result: "failure" });
      sidecar.failPublishes(true);
      try {
        assert.equal(await deliver(a, e), "RETRY");
        assert.equal(await deliver(b, e), "RETRY");
      } finally {
        sidecar.failPublishes(false);
      }
      assert.equal(await counterValue(notificationsSent, { channel: "in-app", result: "failure" }), failuresBefore + 2);
      const [row] = await rowsOfTask(e.data.taskId);
      assert.ok(row && row.published_at === null, "stored, not yet announced");
      assert.equal((await api(a, "/api/notifications", userId)).body.items.length, 1, "visible in-app meanwhile");

      assert.equal(await deliver(b, e), "SUCCESS");
      assert.equal(await deliver(a, e), "SUCCESS");
      const published = publishedFor(e.data.taskId);
      assert.equal(published.length, 1);
      assert.equal(published[0]!.body.id, row.id);
      assert.equal((await rowsOfTask(e.data.taskId)).length, 1);
    });

    it("when a reminder.scheduled or reminder.cancelled arrives, then it is acknowledged and nothing is stored", async () => {
      const taskId = randomUUID();
      const userId = randomUUID();
      const scheduled = makeEvent({ type: "reminder.scheduled", source: "backend", subject: taskId, userId, correlationId: "c", data: { taskId, remindAt: new Date().toISOString(), title: "t" } });
      const cancelled = makeEvent({ type: "reminder.cancelled", source: "backend", subject: taskId, userId, correlationId: "c", data: { taskId, reason: "deleted" } });
      assert.equal(await deliver(a, scheduled), "SUCCESS");
      assert.equal(await deliver(a, cancelled), "SUCCESS");
      assert.equal((await rowsOfTask(taskId)).length, 0);
    });

    it("when an event is invalid, then it is dropped and counted", async () => {
      const before = await counterValue(eventsConsumed, { consumer: NOTIFICATION_CONSUMER, outcome: "drop" });
      const e = reminderDue({ userId: randomUUID() });
      assert.equal(await deliver(a, { ...e, data: { ...e.data, remindAt: "tomorrow" } }), "DROP");
      assert.equal(await deliver(a, { ...e, userId: "someone" }), "DROP");
      assert.equal(await counterValue(eventsConsumed, { consumer: NOTIFICATION_CONSUMER, outcome: "drop" }), before + 2);
      assert.equal((await rowsOfTask(e.data.taskId)).length, 0);
    });
  });

  describe("API", () => {
    it("when a user lists notifications, then only theirs come, newest first, with the unread count, page by page", async () => {
      const userId = randomUUID();
      const other = randomUUID();
      const titles = ["one", "two", "three"];
      for (const title of titles) assert.equal(await deliver(a, reminderDue({ userId, title })), "SUCCESS");
      assert.equal(await deliver(a, reminderDue({ userId: other, title: "not yours" })), "SUCCESS");

      const all = await api(b, "/api/notifications", userId);
      assert.equal(all.status, 200);
      assert.deepEqual(all.body.items.map((n: ApiNotification) => n.title), ["three", "two", "one"]);
      assert.equal(all.body.unreadCount, 3);
      assert.equal(all.body.items[0].message, 'Reminder: "three"');
      assert.equal(all.body.items[0].readAt, null);
      assert.equal("userId" in all.body.items[0], false);

      const page1 = await api(b, "/api/notifications?limit=2", userId);
      assert.deepEqual(page1.body.items.map((n: ApiNotification) => n.title), ["three", "two"]);
      assert.ok(page1.body.nextCursor);
      const page2 = await api(b, `/api/notifications?limit=2&cursor=${page1.body.nextCursor}`, userId);
      assert.deepEqual(page2.body.items.map((n: ApiNotification) => n.title), ["one"]);
      assert.equal(page2.body.nextCursor, null);

      assert.equal((await api(b, "/api/notifications?cursor=nonsense", userId)).status, 400);
      const badLimit = await api(b, "/api/notifications?limit=1000", userId);
      assert.equal(badLimit.status, 400);
      assert.match(badLimit.body.error.message, /limit/);
      assert.equal((await api(b, "/api/notifications", null)).status, 401);
    });

    it("when a notification is read, then it stays read on repeat, the unread count drops, and others get 404", async () => {
      const userId = randomUUID();
      await deliver(a, reminderDue({ userId }));
      await deliver(a, reminderDue({ userId }));
      const [first] = (await api(a, "/api/notifications", userId)).body.items as ApiNotification[];

      assert.equal((await api(a, `/api/notifications/${first!.id}/read`, randomUUID(), "POST")).status, 404, "another user");
      assert.equal((await api(a, "/api/notifications", userId)).body.unreadCount, 2, "untouched by the other user");

      const read = await api(a, `/api/notifications/${first!.id}/read`, userId, "POST");
      assert.equal(read.status, 200);
      assert.equal(read.body.id, first!.id, "the notification itself, as the README says");
      assert.equal(read.body.title, first!.title);
      assert.ok(read.body.readAt);
      const again = await api(b, `/api/notifications/${first!.id}/read`, userId, "POST");
      assert.equal(again.status, 200);
      assert.equal(again.body.readAt, read.body.readAt, "idempotent");
      assert.equal((await api(a, "/api/notifications", userId)).body.unreadCount, 1);

      assert.equal((await api(a, `/api/notifications/${randomUUID()}/read`, userId, "POST")).status, 404, "unknown id");
      assert.equal((await api(a, "/api/notifications/not-a-uuid/read", userId, "POST")).status, 400);
      assert.equal((await api(a, `/api/notifications/${first!.id}/read`, null, "POST")).status, 401);
    });

    it("when all are marked read, then the user's unread count is 0, others' are untouched, and a repeat marks none", async () => {
      const userId = randomUUID();
      const other = randomUUID();
      for (const title of ["a", "b", "c"]) await deliver(a, reminderDue({ userId, title }));
      await deliver(a, reminderDue({ userId: other, title: "theirs" }));
      const res = await api(a, "/api/notifications/read-all", userId, "POST");
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { marked: 3, unreadCount: 0 });
      const listed = await api(a, "/api/notifications", userId);
      assert.ok(listed.body.items.every((n: ApiNotification) => n.readAt !== null));
      assert.equal((await api(a, "/api/notifications", other)).body.unreadCount, 1);
      assert.deepEqual((await api(a, "/api/notifications/read-all", userId, "POST")).body, { marked: 0, unreadCount: 0 });
      assert.equal((await api(a, "/api/notifications/read-all", null, "POST")).status, 401);
    });
  });

  describe("webhook", () => {
    it("when the webhook URL is not an http(s) URL, then the configuration names the variable", () => {
      assert.throws(() => loadConfig(notificationConfigSchema, { ...env(), NOTIFICATION_WEBHOOK_URL: "ftp://example.com" }), (err: Error) => err instanceof ConfigError && /NOTIFICATION_WEBHOOK_URL/.test(err.message));
      assert.equal(loadConfig(notificationConfigSchema, { ...env(), NOTIFICATION_WEBHOOK_URL: "" }).NOTIFICATION_WEBHOOK_URL, undefined);
    });

    it("when a webhook is configured, then each new notification is posted once; a failing webhook does not hold up the in-app one", async () => {
      const received: Array<Record<string, unknown>> = [];
      let fail = false;
      const hook = express().use(express.json()).post("/hook", (req, res) => {
        received.push(req.body);
        res.status(fail ? 500 : 204).end();
      });
      const receiver = await listen({ port: 0, host: "127.0.0.1", log: createLogger("hook", "silent"), handler: hook, shutdownTimeoutMs: 500 });
      const withHook = await start(loadConfig(notificationConfigSchema, { ...env(), NOTIFICATION_WEBHOOK_URL: `${receiver.url}/hook` }));
      try {
        const userId = randomUUID();
        const e = reminderDue({ userId, title: "call mum" });
        assert.equal(await deliver(withHook, e), "SUCCESS");
        assert.equal(await deliver(withHook, e), "SUCCESS");
        const failuresBefore = await counterValue(notificationsSent, { channel: "webhook", result: "failure" });
        fail = true;
        assert.equal(await deliver(withHook, reminderDue({ userId, title: "pay rent" })), "SUCCESS");
        await withHook.stop(); // drains in-flight webhook posts
        assert.deepEqual(received.map((r) => r.title), ["call mum", "pay rent"]);
        assert.equal(received[0]!.taskId, e.data.taskId);
        assert.equal(await counterValue(notificationsSent, { channel: "webhook", result: "failure" }), failuresBefore + 1);
      } finally {
        await withHook.stop();
        await receiver.stop();
      }
    });
  });
});
