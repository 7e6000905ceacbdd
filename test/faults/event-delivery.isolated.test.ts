import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { topics } from "@todo/contracts/topology";
import { resiliencyPolicies } from "@todo/contracts/dapr-resources";
import { eventProcessorConfigSchema } from "#services/event-processor-config";
import { start as startEventProcessor } from "#services/event-processor";
import type { RunningService } from "#services/run-service";
import type { LocalRuntime } from "#services/local-runtime";
import { startTestApp, type TestApp } from "#services/testing/test-app";
import { counterValue, databasePool, eventually, operatorHeaders, request, runBounded, signUp, startQuietRuntime, type Pool } from "./support/fault-runtime";

/**
 * The event path under faults, through the real backend and event-processor processes of the local
 * runtime: broker outage, a consumer crash mid-transaction, duplicate and racing deliveries, and a
 * poison event. Each test counts effects in the database, not log lines.
 */
describe("faults: event delivery (backend + event-processor on the local runtime)", function () {
  this.timeout(240_000);
  let runtime: LocalRuntime;
  let db: Pool;
  let watcher: TestApp;

  before(async () => {
    runtime = await startQuietRuntime({ services: ["backend", "event-processor"] });
    db = databasePool(runtime.databaseUrl);
    // A second subscriber on task-events counts raw deliveries, independent of the event-processor.
    watcher = await startTestApp();
    runtime.dapr.registerApp("fault-watcher", watcher.url);
    runtime.dapr.addSubscription({ name: "fault-watcher-task-events", appId: "fault-watcher", topic: topics.taskEvents, route: "/events/task-events" });
  });

  after(async () => {
    await db?.end();
    await runtime?.stop();
    await watcher?.close();
  });

  const scalar = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0]!.n);
  const auditRowsOfUser = (userId: string, type = "task.created") =>
    scalar("SELECT count(*) AS n FROM event_processor.audit_events WHERE user_id = $1 AND type = $2", [userId, type]);

  it("when publishing fails during 1,000 task writes, then every write is 201 and after recovery every event has exactly one effect", async () => {
    const { token, userId } = await signUp(runtime.url);
    runtime.dapr.faults.publish = "fail";
    const writes = 1000;
    const statuses = await runBounded(writes, 16, async (i) => {
      if (i === writes / 2) runtime.dapr.faults.publish = "ok"; // the broker comes back halfway
      const res = await request(runtime.url, "POST", "/api/tasks", { token, body: { title: `outage ${i}` } });
      return res.status;
    });
    runtime.dapr.faults.publish = "ok";
    assert.deepEqual(
      statuses.filter((s) => s !== 201),
      [],
      "every write is acknowledged while the broker is down",
    );

    await eventually(() => auditRowsOfUser(userId), (n) => n >= writes, 120_000, "an audit row per task.created");
    await runtime.dapr.idle();
    assert.equal(await scalar("SELECT count(*) AS n FROM backend.tasks WHERE user_id = $1", [userId]), writes, "tasks");
    assert.equal(await auditRowsOfUser(userId), writes, "audit rows = events");
    assert.equal(
      await scalar("SELECT count(DISTINCT task_id) AS n FROM event_processor.audit_events WHERE user_id = $1 AND type = 'task.created'", [userId]),
      writes,
      "one task.created effect per task",
    );
    const outbox = (
      await db.query<{ unsent: string; retried: string; total: string }>(
        `SELECT count(*) FILTER (WHERE o.sent_at IS NULL) AS unsent, count(*) FILTER (WHERE o.attempts > 1) AS retried, count(*) AS total
           FROM backend.outbox o JOIN backend.tasks t ON t.id = o.task_id WHERE t.user_id = $1`,
        [userId],
      )
    ).rows[0]!;
    assert.equal(Number(outbox.total), writes, "one outbox row per write");
    assert.equal(Number(outbox.unsent), 0, "the relay drained the outbox");
    assert.ok(Number(outbox.retried) > 0, "the outage really hit the relay (some rows needed more than one attempt)");

    const seen = watcher.requests.map((r) => r.json as { id: string; type: string; userId: string }).filter((e) => e.userId === userId);
    assert.equal(new Set(seen.map((e) => e.id)).size, writes, "the watcher saw every event id");
    assert.equal(runtime.dapr.deadLetters.length, 0, "nothing was dead-lettered");
  });

  it("when the consumer is SIGKILLed in the middle of its transactions, then the events are redelivered after the restart and each has one effect", async () => {
    const { token, userId } = await signUp(runtime.url);
    const retriedBefore = runtime.dapr.counters.retried;
    // Hold the audit table so the event-processor's audit statements stop half-way (record_audit_entry has
    // taken the user's lock; its insert waits), then kill it: the implicit transactions roll back.
    const blocker = await db.connect();
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE event_processor.audit_events IN EXCLUSIVE MODE");
    const count = 10;
    try {
      for (let i = 0; i < count; i++) assert.equal((await request(runtime.url, "POST", "/api/tasks", { token, body: { title: `crash ${i}` } })).status, 201);
      await eventually(
        () => scalar("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%record_audit_entry%'"),
        (n) => n > 0,
        30_000,
        "the consumer blocked inside its transaction",
      );
      await runtime.kill("event-processor");
    } finally {
      await blocker.query("COMMIT");
      blocker.release();
    }
    await runtime.waitReady(120_000);
    await eventually(() => auditRowsOfUser(userId), (n) => n >= count, 60_000, "audit rows after the restart");
    await runtime.dapr.idle();
    assert.equal(await auditRowsOfUser(userId), count, "one audit row per event");
    assert.equal(
      await scalar(
        `SELECT count(*) AS n FROM event_processor.audit_events a JOIN backend.outbox o ON o.event_id = a.event_id
           WHERE a.user_id = $1 AND o.type = 'task.created'`,
        [userId],
      ),
      count,
      "each audit row is one of the events written (the killed statements left nothing behind)",
    );
    assert.ok(runtime.dapr.counters.retried > retriedBefore, "the broker redelivered after the crash");
    const metrics = await (await fetch(`${runtime.serviceUrl("event-processor")}/metrics`)).text();
    assert.ok(counterValue(metrics, "todo_events_consumed_total", { consumer: "event-processor", outcome: "success" }) >= 1, "the restarted process handled the redeliveries");
  });

  describe("when the same event is delivered twice and to two replicas at once", () => {
    const replicas: RunningService[] = [];

    before(async () => {
      const sidecar = runtime.dapr.sidecar("event-processor")!;
      for (let i = 0; i < 2; i++) {
        const config = eventProcessorConfigSchema.parse({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: runtime.databaseUrl, DAPR_HTTP_PORT: String(sidecar.port), LOG_LEVEL: "silent" });
        replicas.push(await startEventProcessor(config));
      }
    });

    after(async () => {
      runtime.dapr.faults.delivery = "ok";
      await Promise.all(replicas.map((r) => r.stop()));
    });

    const deliver = (replica: RunningService, event: unknown) =>
      fetch(`${replica.url}/events/task-events`, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(event) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { status: string },
      }));

    it("then each event has one audit row and a completed recurring task one next occurrence", async () => {
      const { token, userId } = await signUp(runtime.url);
      // The broker holds its own deliveries, so the replicas race on events nobody has processed yet.
      runtime.dapr.faults.delivery = "paused";
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const created = await request(runtime.url, "POST", "/api/tasks", { token, body: { title: `daily ${i}`, dueAt: tomorrow, recurrence: "FREQ=DAILY" } });
        assert.equal(created.status, 201, created.text);
        ids.push(created.body.id);
        assert.equal((await request(runtime.url, "POST", `/api/tasks/${created.body.id}/complete`, { token })).status, 200);
      }
      const events = await eventually(
        async () => (await db.query<{ payload: { id: string } }>("SELECT payload FROM backend.outbox WHERE task_id = ANY($1::uuid[]) ORDER BY seq", [ids])).rows.map((r) => r.payload),
        (rows) => rows.length === ids.length * 2,
        10_000,
        "created + completed events in the outbox",
      );

      const [a, b] = replicas as [RunningService, RunningService];
      const answers = (await Promise.all(events.map((e) => Promise.all([deliver(a, e), deliver(a, e), deliver(b, e), deliver(b, e)])))).flat();
      answers.push(...(await Promise.all(events.map((e) => deliver(b, e))))); // and once more, after the race
      assert.deepEqual(new Set(answers.map((r) => `${r.status} ${r.body.status}`)), new Set(["200 SUCCESS"]));

      runtime.dapr.faults.delivery = "ok"; // the broker's own (third and later) deliveries arrive too
      await runtime.dapr.idle();
      for (const e of events) {
        assert.equal(await scalar("SELECT count(*) AS n FROM event_processor.audit_events WHERE event_id = $1", [e.id]), 1, `audit rows of ${e.id}`);
      }
      for (const id of ids) {
        assert.equal(await scalar("SELECT count(*) AS n FROM backend.tasks WHERE parent_task_id = $1", [id]), 1, `next occurrences of ${id}`);
      }
      assert.equal(await scalar("SELECT count(*) AS n FROM backend.tasks WHERE user_id = $1", [userId]), ids.length * 2, "originals + one next occurrence each");
    });
  });

  it("when an event keeps failing, then it is retried per policy, dead-lettered, counted and visible, and the next good events are processed meanwhile", async () => {
    const { token, userId } = await signUp(runtime.url);
    const created = await request(runtime.url, "POST", "/api/tasks", { token, body: { title: "poison", dueAt: new Date(Date.now() + 86_400_000).toISOString(), recurrence: "FREQ=DAILY" } });
    assert.equal(created.status, 201);
    const task = created.body;
    // A task.completed for a task that is still pending at that version (a completion it never had; a
    // reopened one has a higher version): the backend answers 409 every time, so the event-processor
    // asks for a retry on each attempt.
    const createdEvent = await eventually(
      async () => (await db.query<{ payload: Record<string, unknown> }>("SELECT payload FROM backend.outbox WHERE task_id = $1", [task.id])).rows[0]?.payload,
      (p) => p !== undefined,
      10_000,
      "the task.created outbox row",
    );
    await eventually(() => auditRowsOfUser(userId), (n) => n === 1, 10_000, "the task.created audit row");
    const poison = { ...createdEvent, id: randomUUID(), type: "task.completed", data: { task: { ...task, status: "completed", completedAt: new Date().toISOString() } } };
    const invalid = { ...createdEvent, id: randomUUID(), subject: "not-a-uuid" };

    const metricsOf = async () => {
      const text = await (await fetch(`${runtime.serviceUrl("event-processor")}/metrics`)).text();
      return {
        retries: counterValue(text, "todo_events_consumed_total", { consumer: "event-processor", type: "task.completed", outcome: "retry" }),
        drops: counterValue(text, "todo_events_consumed_total", { consumer: "event-processor", outcome: "drop" }),
        deadLettered: counterValue(text, "todo_events_dead_lettered_total", { topic: topics.taskEvents }),
      };
    };
    const before = await metricsOf();
    const sidecar = runtime.dapr.sidecar("backend")!;
    for (const e of [poison, invalid]) {
      const res = await fetch(`${sidecar.url}/v1.0/publish/pubsub/${topics.taskEvents}?metadata.partitionKey=${task.id}`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify(e),
      });
      assert.equal(res.status, 204);
    }
    // Good events of other tasks while the poison is being retried.
    const good: string[] = [];
    for (let i = 0; i < 5; i++) good.push((await request(runtime.url, "POST", "/api/tasks", { token, body: { title: `good ${i}` } })).body.id);

    const deadLetterUrl = `${runtime.serviceUrl("event-processor")}/internal/dead-letters?limit=100`;
    const headers = await operatorHeaders(runtime);
    const listed = await eventually(
      async () => ((await (await fetch(deadLetterUrl, { headers })).json()) as { items: Array<{ eventId: string; topic: string; receivedAt: string }> }).items,
      (items) => [poison.id, invalid.id].every((id) => items.some((d) => d.eventId === id)),
      60_000,
      "both events in the dead-letter list",
    );
    await runtime.dapr.idle();
    const after = await metricsOf();
    assert.equal(after.retries - before.retries, resiliencyPolicies.retries.deliveryRetry.maxRetries + 1, "one attempt plus maxRetries retries, each answered RETRY");
    assert.equal(after.drops - before.drops, 1, "the invalid event is dropped on its first delivery");
    assert.equal(after.deadLettered - before.deadLettered, 2, "todo_events_dead_lettered_total counts both");
    const ours = listed.filter((d) => d.eventId === poison.id || d.eventId === invalid.id);
    assert.deepEqual(ours.map((d) => d.topic), [topics.taskEvents, topics.taskEvents], "listed once each, under the topic they failed on");
    const poisonRecord = runtime.dapr.deadLetters.find((d) => d.event.id === poison.id);
    assert.match(poisonRecord?.reason ?? "", /retries exhausted/);

    const poisonAt = Date.parse(listed.find((d) => d.eventId === poison.id)!.receivedAt);
    const goodAudited = (await db.query<{ recorded_at: string }>("SELECT recorded_at FROM event_processor.audit_events WHERE task_id = ANY($1::uuid[])", [good])).rows;
    assert.equal(goodAudited.length, good.length, "every good event was processed");
    assert.ok(
      goodAudited.every((r) => Date.parse(r.recorded_at) < poisonAt),
      "the good events did not wait for the poison event to be given up",
    );
  });
});
