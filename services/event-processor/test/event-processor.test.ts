import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { loadConfig } from "../../shared/src/config";
import { makeEvent } from "@todo/contracts/envelope";
import { type Task } from "@todo/contracts/task";
import { type TaskEvent } from "@todo/contracts/events";
import type { RunningService } from "../../shared/src/http/run-service";
import { eventsConsumed } from "../../shared/src/telemetry/event-metrics";
import { deadLettersReplayed, eventsDeadLettered } from "../../shared/src/telemetry/dead-letter-metrics";
import { eventProcessorConfigSchema } from "../src/config";
import { start } from "../src/event-processor-service";
import { signOperatorToken } from "../src/operator/operator-token";
import { TokenService } from "../../shared/src/auth/tokens";
import { TASK_EVENTS_CONSUMER } from "../src/routes/task-events-route";
import { startFakeBackend, type FakeBackend } from "../../testing/fake-backend";
import { startRecordingSidecar, type RecordingSidecar } from "../../testing/recording-sidecar";

async function post(url: string, body: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** Delivers like Dapr does and returns the subscription's verdict (SUCCESS|RETRY|DROP). */
async function deliver(service: RunningService, event: unknown): Promise<string> {
  const res = await post(`${service.url}/events/task-events`, { ...(event as object), topic: "task-events", pubsubname: "pubsub" });
  assert.equal(res.status, 200);
  return res.body.status;
}

async function counterValue(counter: { get(): Promise<{ values: Array<{ labels: Record<string, unknown>; value: number }> }> }, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((s, v) => s + v.value, 0);
}

function task(overrides: Partial<Task> = {}): Task {
  const now = "2024-03-01T08:00:00.000Z";
  return {
    id: randomUUID(),
    userId: randomUUID(),
    title: "water the plants",
    description: "",
    status: "pending",
    priority: "medium",
    tags: ["home"],
    dueAt: "2024-03-01T09:00:00.000Z",
    remindAt: null,
    recurrence: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    version: 1,
    ...overrides,
  };
}

function taskEvent<T extends TaskEvent["type"]>(type: T, t: Task, extra: { time?: Date; id?: string } = {}): TaskEvent {
  const data = type === "task.updated" ? { task: t, changes: ["title"] } : { task: t };
  return makeEvent({ type, source: "backend", subject: t.id, userId: t.userId, correlationId: `c-${t.id}`, data: data as never, ...extra }) as TaskEvent;
}

const OPERATOR_SECRET = "operator-test-secret-of-at-least-32-characters";

describe("event-processor (real PostgreSQL, fake sidecar and backend)", () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  let sidecar: RecordingSidecar;
  let backend: FakeBackend;
  let a: RunningService;
  let b: RunningService;

  before(async () => {
    db = await createTestDatabase();
    [sidecar, backend] = await Promise.all([startRecordingSidecar({ secrets: { "jwt-secret": OPERATOR_SECRET } }), startFakeBackend()]);
    sidecar.setInvokeTarget("backend", backend.url);
    const config = loadConfig(eventProcessorConfigSchema, {
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: db.url,
      DAPR_HTTP_PORT: String(sidecar.port),
      LOG_LEVEL: "silent",
      BACKEND_TIMEOUT_MS: "2000",
    });
    // two replicas on one database, migrating at the same time
    [a, b] = await Promise.all([start(config), start(config)]);
    sql = new pg.Pool({ connectionString: db.url });
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop(), sidecar?.stop(), backend?.stop(), sql?.end()]);
    await db?.stop();
    await stopTestDatabases();
  });

  async function auditRows(taskId: string): Promise<number> {
    const { rows } = await sql.query("SELECT count(*)::int AS n FROM event_processor.audit_events WHERE task_id = $1", [taskId]);
    return rows[0].n;
  }

  function completedRecurring(overrides: Partial<Task> = {}): Task {
    const t = task({
      status: "completed",
      recurrence: "FREQ=DAILY",
      remindAt: "2024-03-01T08:30:00.000Z",
      completedAt: "2024-03-01T08:50:00.000Z",
      version: 2,
      ...overrides,
    });
    backend.tasks.set(t.id, t);
    return t;
  }

  describe("audit trail", () => {
    it("when the same event is delivered twice, then it is recorded once and the repeat counts as a duplicate", async () => {
      const t = task();
      const e = taskEvent("task.created", t);
      const duplicatesBefore = await counterValue(eventsConsumed, { consumer: TASK_EVENTS_CONSUMER, type: "task.created", outcome: "duplicate" });
      assert.equal(await deliver(a, e), "SUCCESS");
      assert.equal(await deliver(a, e), "SUCCESS");
      assert.equal(await auditRows(t.id), 1);
      assert.equal(await counterValue(eventsConsumed, { consumer: TASK_EVENTS_CONSUMER, type: "task.created", outcome: "duplicate" }), duplicatesBefore + 1);
    });

    it("when one event reaches two replicas at the same time, then it is recorded once", async () => {
      const t = task();
      const e = taskEvent("task.created", t);
      const verdicts = await Promise.all([deliver(a, e), deliver(b, e), deliver(a, e), deliver(b, e)]);
      assert.deepEqual(verdicts, ["SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"]);
      assert.equal(await auditRows(t.id), 1);
    });

    it("when an account is being erased as its task event arrives, then the entry waits for the erasure and is not recorded", async () => {
      const t = task();
      // The erasure as account-erasure-consumer.ts runs it, held open on its exclusive lock.
      const erasure = await sql.connect();
      try {
        await erasure.query("SET search_path TO event_processor");
        await erasure.query("BEGIN");
        await erasure.query("SELECT pg_advisory_xact_lock(18, hashtext($1))", [t.userId]);
        const delivered = deliver(a, taskEvent("task.created", t));
        // the delivery cannot record before the erasure ends: it waits on the user's lock
        for (let i = 0; i < 100 && (await sql.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rowCount === 0; i++) await new Promise((r) => setTimeout(r, 20));
        assert.equal((await sql.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rowCount, 1, "the delivery waits for the erasure's lock");
        await erasure.query("INSERT INTO erased_users (user_id) VALUES ($1)", [t.userId]);
        await erasure.query("DELETE FROM audit_events WHERE user_id = $1", [t.userId]);
        await erasure.query("COMMIT");
        assert.equal(await delivered, "SUCCESS");
      } finally {
        erasure.release();
      }
      // Its snapshot was taken after the lock, so it saw the erased account: nothing of the user is left.
      assert.equal(await auditRows(t.id), 0);
    });

    it("when an event is invalid, then it is dropped and counted as a drop", async () => {
      const dropsBefore = await counterValue(eventsConsumed, { consumer: TASK_EVENTS_CONSUMER, outcome: "drop" });
      const e = taskEvent("task.created", task());
      assert.equal(await deliver(a, { ...e, subject: "not-a-uuid" }), "DROP");
      assert.equal(await deliver(a, { ...e, type: "task.exploded" }), "DROP");
      assert.equal(await deliver(a, { hello: "world" }), "DROP");
      assert.equal(await counterValue(eventsConsumed, { consumer: TASK_EVENTS_CONSUMER, outcome: "drop" }), dropsBefore + 3);
      assert.equal(await auditRows(e.subject), 0);
    });

    it("when the owner asks for the history, then it is oldest first by event time, and nobody else sees it", async () => {
      const t = task();
      const created = taskEvent("task.created", t, { time: new Date("2024-03-01T08:00:00Z") });
      const updated = taskEvent("task.updated", { ...t, title: "water all plants", version: 2 }, { time: new Date("2024-03-01T08:10:00Z") });
      const completed = taskEvent("task.completed", { ...t, status: "completed", completedAt: "2024-03-01T08:20:00.000Z", version: 3 }, { time: new Date("2024-03-01T08:20:00Z") });
      const reopened = taskEvent("task.reopened", { ...t, version: 4 }, { time: new Date("2024-03-01T08:30:00Z") });
      // delivered out of order, as pub/sub may
      for (const e of [completed, reopened, created, updated]) assert.equal(await deliver(a, e), "SUCCESS");

      const res = await fetch(`${a.url}/internal/tasks/${t.id}/history?userId=${t.userId}`);
      assert.equal(res.status, 200);
      const { items } = (await res.json()) as { items: Array<{ type: string; at: string; eventId: string; data: { title: string; status: string; completedAt: string | null; changes?: string[] } }> };
      assert.deepEqual(items.map((i) => i.type), ["task.created", "task.updated", "task.completed", "task.reopened"]);
      assert.deepEqual(items.map((i) => i.eventId), [created.id, updated.id, completed.id, reopened.id]);
      assert.deepEqual([items[3]!.data.status, items[3]!.data.completedAt, items[3]!.data.changes], ["pending", null, undefined], "a reopen is its own line: the task pending again, no field list");
      assert.equal(items[0]!.at, "2024-03-01T08:00:00.000Z");
      assert.equal(items[1]!.data.title, "water all plants");
      assert.deepEqual(items[1]!.data.changes, ["title"]);

      assert.equal((await fetch(`${b.url}/internal/tasks/${t.id}/history?userId=${randomUUID()}`)).status, 404, "another user");
      assert.equal((await fetch(`${b.url}/internal/tasks/${randomUUID()}/history?userId=${t.userId}`)).status, 404, "unknown task");
      const bad = await fetch(`${b.url}/internal/tasks/${t.id}/history`);
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /userId/);
    });
  });

  describe("recurring tasks", () => {
    it("when a daily task is completed, then its next occurrence is created once, due a day later with the reminder offset kept", async () => {
      const t = completedRecurring();
      const e = taskEvent("task.completed", t);
      assert.equal(await deliver(a, e), "SUCCESS");
      const child = backend.children.get(t.id);
      assert.ok(child, "next occurrence created");
      assert.deepEqual(
        [child.body.dueAt, child.body.remindAt, child.body.correlationId, child.body.eventId, child.body.seriesIndex, child.body.seriesId, child.body.title],
        ["2024-03-02T09:00:00.000Z", "2024-03-02T08:30:00.000Z", e.correlationId, e.id, 2, t.id, t.title],
        "one call carries the whole series, keyed by the completion event",
      );

      // a redelivery does not even ask the backend again
      const calls = backend.nextOccurrenceCalls;
      assert.equal(await deliver(b, e), "SUCCESS");
      assert.equal(backend.nextOccurrenceCalls, calls);
      assert.equal(await auditRows(t.id), 1);
    });

    it("when replicas handle the same completion concurrently, also under different event ids, then only one next occurrence exists", async () => {
      const t = completedRecurring();
      const e = taskEvent("task.completed", t);
      const again = taskEvent("task.completed", t); // e.g. a second completion event for the same occurrence
      const before = backend.children.size;
      const verdicts = await Promise.all([deliver(a, e), deliver(b, e), deliver(a, again), deliver(b, again), deliver(b, e)]);
      assert.deepEqual(verdicts, Array(5).fill("SUCCESS"));
      assert.equal(backend.children.size, before + 1);
      assert.ok(backend.nextOccurrenceCalls >= 2, "both event ids reached the backend, which kept it to one");
      assert.equal(await auditRows(t.id), 2);
    });

    it("when the backend answers 503, then the event is retried, and the retry creates the occurrence without a second audit row", async () => {
      const t = completedRecurring();
      const e = taskEvent("task.completed", t);
      backend.failNext = 1;
      assert.equal(await deliver(a, e), "RETRY");
      assert.equal(backend.children.has(t.id), false);
      assert.equal(await deliver(b, e), "SUCCESS");
      assert.equal(backend.children.has(t.id), true);
      assert.equal(await auditRows(t.id), 1);
    });

    it("when the backend cannot be reached, then the event is retried", async () => {
      const t = completedRecurring();
      sidecar.setInvokeTarget("backend", "http://127.0.0.1:9"); // nothing listens on the discard port
      try {
        assert.equal(await deliver(a, taskEvent("task.completed", t)), "RETRY");
      } finally {
        sidecar.setInvokeTarget("backend", backend.url);
      }
      assert.equal(backend.children.has(t.id), false);
    });

    it("when the task was deleted after it was completed, then its next occurrence is still created from the event (18.1)", async () => {
      const t = completedRecurring();
      backend.tasks.delete(t.id);
      assert.equal(await deliver(a, taskEvent("task.completed", t)), "SUCCESS");
      assert.equal(backend.children.get(t.id)?.body.dueAt, "2024-03-02T09:00:00.000Z");
    });

    it("when the series has a zone, then the next occurrence keeps the local time (Monday 20:00 Los Angeles, issue 17)", async () => {
      const due = new Date("2026-12-07T20:00:00-08:00").toISOString();
      const t = completedRecurring({ recurrence: "FREQ=WEEKLY;BYDAY=MO", dueAt: due, remindAt: null, completedAt: due, timeZone: "America/Los_Angeles", seriesSlot: due, seriesStart: due, seriesIndex: 1, seriesId: randomUUID() });
      assert.equal(await deliver(a, taskEvent("task.completed", t)), "SUCCESS");
      assert.equal(backend.children.get(t.id)?.body.dueAt, "2026-12-15T04:00:00.000Z");
    });

    it("when the task was reopened before its completion was handled, then its next occurrence is still created (the completion is committed)", async () => {
      const t = completedRecurring();
      // a reopen is a change: the version goes up
      backend.tasks.set(t.id, { ...t, status: "pending", completedAt: null, version: t.version + 1 });
      assert.equal(await deliver(a, taskEvent("task.completed", t)), "SUCCESS");
      assert.equal(backend.children.get(t.id)?.body.dueAt, "2024-03-02T09:00:00.000Z");
    });

    it("when the task is pending at the event's own version (a completion it never had), then the event is retried (409)", async () => {
      const t = completedRecurring();
      backend.tasks.set(t.id, { ...t, status: "pending", completedAt: null });
      assert.equal(await deliver(a, taskEvent("task.completed", t)), "RETRY");
      assert.equal(backend.children.has(t.id), false);
    });

    it("when the user ended the series, then the backend is not asked", async () => {
      const t = completedRecurring({ seriesEnded: true });
      const calls = backend.nextOccurrenceCalls;
      assert.equal(await deliver(a, taskEvent("task.completed", t)), "SUCCESS");
      assert.equal(backend.nextOccurrenceCalls, calls);
    });

    it("when the recurrence is not a valid RRULE, then the event is dropped (it would fail forever)", async () => {
      const t = completedRecurring({ recurrence: "EVERY=SOMETIMES" });
      assert.equal(await deliver(a, taskEvent("task.completed", t)), "DROP");
    });

    it("when the COUNT of the series is used up, then nothing is created", async () => {
      const t = completedRecurring({ recurrence: "FREQ=DAILY;COUNT=1" });
      const calls = backend.nextOccurrenceCalls;
      assert.equal(await deliver(a, taskEvent("task.completed", t)), "SUCCESS");
      assert.equal(backend.nextOccurrenceCalls, calls);
      assert.equal(backend.children.has(t.id), false);
    });

    it("when a task without recurrence is completed, then the backend is not asked", async () => {
      const t = task({ status: "completed", completedAt: "2024-03-01T08:50:00.000Z" });
      const calls = backend.nextOccurrenceCalls;
      assert.equal(await deliver(a, taskEvent("task.completed", t)), "SUCCESS");
      assert.equal(backend.nextOccurrenceCalls, calls);
    });
  });

  describe("dead letters", () => {
    async function deadLetter(service: RunningService, body: unknown): Promise<string> {
      const res = await post(`${service.url}/events/dead-letters`, body);
      assert.equal(res.status, 200);
      return res.body.status;
    }

    it("when a dead letter arrives twice and on both replicas, then it is recorded and counted once", async () => {
      const e = { ...taskEvent("task.updated", task()), topic: "task-events", pubsubname: "pubsub" };
      const before = await counterValue(eventsDeadLettered, { topic: "task-events", type: "task.updated" });
      const verdicts = await Promise.all([deadLetter(a, e), deadLetter(b, e), deadLetter(a, e)]);
      assert.deepEqual(verdicts, ["SUCCESS", "SUCCESS", "SUCCESS"]);
      assert.equal(await counterValue(eventsDeadLettered, { topic: "task-events", type: "task.updated" }), before + 1);
      const { rows } = await sql.query("SELECT topic, type FROM event_processor.dead_letters WHERE event_id = $1", [e.id]);
      assert.deepEqual(rows, [{ topic: "task-events", type: "task.updated" }]);
    });

    it("when garbage arrives on a dead-letter topic, then it is stored, counted under bounded labels and acknowledged", async () => {
      const before = await counterValue(eventsDeadLettered, { topic: "unknown", type: "unknown" });
      // (Dapr delivers CloudEvent objects, wrapping any raw payload, so the body is always JSON)
      const garbage = [{ id: 42, type: "x".repeat(500), topic: "somewhere-else" }, ["a", "b"], { data: "just text" }, { nested: { nul: "a\u0000b" } }];
      for (const g of garbage) assert.equal(await deadLetter(a, g), "SUCCESS");
      assert.equal(await counterValue(eventsDeadLettered, { topic: "unknown", type: "unknown" }), before + garbage.length);
      // a reminder event whose topic attribute names the dead-letter topic counts under its original topic
      const r = makeEvent({ type: "reminder.due", source: "reminder-scheduler", subject: randomUUID(), userId: randomUUID(), correlationId: "c", data: { taskId: randomUUID(), remindAt: new Date().toISOString(), title: "t", firedAt: new Date().toISOString() } });
      const reminderBefore = await counterValue(eventsDeadLettered, { topic: "reminders", type: "reminder.due" });
      assert.equal(await deadLetter(b, { ...r, topic: "reminders-deadletter" }), "SUCCESS");
      assert.equal(await counterValue(eventsDeadLettered, { topic: "reminders", type: "reminder.due" }), reminderBefore + 1);

      const auth = { authorization: `Bearer ${await signOperatorToken(OPERATOR_SECRET)}` };
      const res = await fetch(`${a.url}/internal/dead-letters?limit=2`, { headers: auth });
      const { items } = (await res.json()) as { items: Array<{ eventId: string | null; payload: unknown }> };
      assert.equal(items.length, 2);
      assert.equal(items[0]!.eventId, r.id, "newest first");
      assert.deepEqual(items[1]!.payload, { nested: { nul: "ab" } });
      assert.equal((await fetch(`${a.url}/internal/dead-letters?limit=0`, { headers: auth })).status, 400);
    });

    describe("replay", () => {
      const replay = async (service: RunningService, body: unknown, token?: string) => {
        const res = await fetch(`${service.url}/internal/dead-letters/replay`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as { results: Array<{ id: number; eventId: string; outcome: string }>; error?: { code: string } } };
      };
      const idOf = async (eventId: string) => Number((await sql.query("SELECT id FROM event_processor.dead_letters WHERE event_id = $1", [eventId])).rows[0].id);

      it("when no operator token, or a user token of the API, is sent, then replay and list are 401", async () => {
        const userToken = await new TokenService(OPERATOR_SECRET).sign({ id: randomUUID(), email: "u@example.com" });
        assert.equal((await replay(a, { all: true })).status, 401);
        assert.equal((await replay(a, { all: true }, userToken)).status, 401);
        assert.equal((await fetch(`${a.url}/internal/dead-letters`, { headers: { authorization: `Bearer ${userToken}` } })).status, 401);
      });

      it("when an open dead letter is replayed twice, then it is published once to its original topic with the same id, and counted", async () => {
        const t = task();
        const e = { ...taskEvent("task.updated", t), topic: "task-events", pubsubname: "pubsub", traceparent: "00-x-y-01" };
        assert.equal(await deadLetter(a, e), "SUCCESS");
        const id = await idOf(e.id);
        const token = await signOperatorToken(OPERATOR_SECRET);
        const before = await counterValue(deadLettersReplayed, { topic: "task-events", outcome: "replayed" });
        const publishedBefore = sidecar.published.length;
        const [first, second] = [await replay(a, { ids: [id] }, token), await replay(b, { ids: [id] }, token)];
        assert.deepEqual(first.body.results.map((r) => [r.id, r.outcome]), [[id, "replayed"]]);
        assert.deepEqual(second.body.results, [], "already replayed: nothing to do");
        const sent = sidecar.published.slice(publishedBefore);
        assert.equal(sent.length, 1);
        assert.equal(sent[0]!.topic, "task-events");
        assert.equal(sent[0]!.metadata.partitionKey, t.id);
        assert.match(String(sent[0]!.contentType), /cloudevents\+json/);
        const body = sent[0]!.body as Record<string, unknown>;
        assert.equal(body.id, e.id, "same id: consumers that saw it ignore it");
        assert.equal(body.traceparent, undefined);
        assert.equal(await counterValue(deadLettersReplayed, { topic: "task-events", outcome: "replayed" }), before + 1);
        // It fails again: the letter is open again and can be replayed again.
        assert.equal(await deadLetter(a, e), "SUCCESS");
        assert.equal((await sql.query("SELECT replayed_at FROM event_processor.dead_letters WHERE id = $1", [id])).rows[0].replayed_at, null);
      });

      it("when the sidecar refuses the publish, then the letter is reported failed and stays open", async () => {
        const e = { ...taskEvent("task.deleted", task()), topic: "task-events" };
        assert.equal(await deadLetter(a, e), "SUCCESS");
        const id = await idOf(e.id);
        const token = await signOperatorToken(OPERATOR_SECRET);
        sidecar.failPublishes(true);
        try {
          assert.deepEqual((await replay(a, { ids: [id] }, token)).body.results.map((r) => r.outcome), ["failed"]);
        } finally {
          sidecar.failPublishes(false);
        }
        assert.deepEqual((await replay(a, { ids: [id] }, token)).body.results.map((r) => r.outcome), ["replayed"]);
        assert.equal((await replay(a, { ids: [] }, token)).status, 400);
      });
    });
  });
});
