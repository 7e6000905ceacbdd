import assert from "node:assert/strict";
import { AnyEvent, schemaOfTopic } from "@todo/contracts/events";
import { topicFor } from "@todo/contracts/envelope";
import type { RunningService } from "../../shared/src/http/run-service";
import type { Topic } from "@todo/contracts/topology";
import { registry } from "../../shared/src/telemetry/registry";
import { stopTestDatabases } from "../../testing/database";
import type { RecordedPublish } from "../../testing/recording-sidecar";
import { BackendHarness, until } from "./backend-harness";

/** Checks every recorded publish is a valid event on its topic, keyed by its task. */
function validated(records: RecordedPublish[]): AnyEvent[] {
  return records.map((r) => {
    const event = schemaOfTopic[r.topic as Topic].parse(r.body);
    assert.equal(r.pubsub, "pubsub");
    assert.equal(r.topic, topicFor(event.type));
    assert.equal(r.query["metadata.partitionKey"], event.subject);
    assert.equal(r.contentType, "application/cloudevents+json");
    return event;
  });
}

const typesOf = (events: AnyEvent[], taskId: string) => events.filter((e) => e.subject === taskId).map((e) => e.type);

async function unsentCount(h: BackendHarness): Promise<number> {
  const { rows } = await h.sql.query("SELECT count(*)::int AS n FROM backend.outbox WHERE sent_at IS NULL");
  return rows[0].n;
}

describe("backend outbox relay (real PostgreSQL, recording sidecar)", () => {
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
  beforeEach(() => {
    h.sidecar.failPublishes(false);
  });

  it("when a task goes through its life, then each change publishes its events in order with the request id as correlationId", async () => {
    const before = h.sidecar.published.length;
    const headers = { "x-request-id": "req-lifecycle-1" };
    const task = await h.createTask(user.token, { title: "dentist", remindAt: "2031-01-01T08:00:00Z" });
    await h.request("PATCH", `/api/tasks/${task.id}`, { token: user.token, body: { remindAt: "2031-01-02T08:00:00Z", tags: ["health"] }, headers });
    await h.request("PATCH", `/api/tasks/${task.id}`, { token: user.token, body: { remindAt: null }, headers });
    await h.request("PATCH", `/api/tasks/${task.id}`, { token: user.token, body: { remindAt: "2031-01-03T08:00:00Z" }, headers });
    await h.request("POST", `/api/tasks/${task.id}/complete`, { token: user.token, headers });
    await h.request("DELETE", `/api/tasks/${task.id}`, { token: user.token, headers });
    await h.published(before + 11);
    const mine = validated(h.sidecar.published.slice(before)).filter((e) => e.subject === task.id);
    assert.deepEqual(mine.map((e) => e.type), [
      "task.created", "reminder.scheduled",
      "task.updated", "reminder.scheduled",
      "task.updated", "reminder.cancelled",
      "task.updated", "reminder.scheduled",
      "task.completed", "reminder.cancelled",
      "task.deleted",
    ]);
    const updates = mine.filter((e) => e.type === "task.updated");
    assert.deepEqual(updates.map((e) => (e.type === "task.updated" ? e.data.changes : [])), [["tags", "remindAt"], ["remindAt"], ["remindAt"]]);
    const cancels = mine.filter((e) => e.type === "reminder.cancelled").map((e) => (e.type === "reminder.cancelled" ? e.data.reason : ""));
    assert.deepEqual(cancels, ["cleared", "completed"]);
    assert.ok(mine.slice(2).every((e) => e.correlationId === "req-lifecycle-1"));
    assert.ok(mine.every((e) => e.userId === user.id && e.source === "backend"));
    assert.equal(new Set(mine.map((e) => e.id)).size, 11, "event ids are unique");
  });

  it("when publishing fails, then tasks are still created, and after recovery every event is published once in per-task order", async () => {
    const before = h.sidecar.published.length;
    h.sidecar.failPublishes(true);
    const tasks = [];
    for (let i = 0; i < 5; i++) {
      const task = await h.createTask(user.token, { title: `offline ${i}`, remindAt: "2031-02-01T00:00:00Z" });
      tasks.push(task);
      const patched = await h.request("PATCH", `/api/tasks/${task.id}`, { token: user.token, body: { title: `offline ${i} edited` } });
      assert.equal(patched.status, 200);
      assert.equal((await h.request("POST", `/api/tasks/${task.id}/complete`, { token: user.token })).status, 200);
    }
    await until("a failed publish attempt", () => h.sidecar.attempts.some((a) => !a.accepted));
    assert.equal(h.sidecar.published.length, before, "nothing accepted while the broker is down");
    assert.equal(await unsentCount(h), 5 * 6);
    await until("the unsent gauge", async () => /todo_outbox_unsent_events\{[^}]*\} 30$/m.test(await registry.getSingleMetricAsString("todo_outbox_unsent_events")));

    h.sidecar.failPublishes(false);
    await h.published(before + 30);
    await until("the outbox drained", async () => (await unsentCount(h)) === 0);
    await new Promise((r) => setTimeout(r, 300));
    const events = validated(h.sidecar.published.slice(before));
    assert.equal(events.length, 30, "each event exactly once");
    assert.equal(new Set(events.map((e) => e.id)).size, 30);
    for (const t of tasks) {
      // the title change re-schedules the reminder so it carries the new title
      assert.deepEqual(typesOf(events, t.id), ["task.created", "reminder.scheduled", "task.updated", "reminder.scheduled", "task.completed", "reminder.cancelled"]);
    }
    await until("the gauge back at 0", async () => /todo_outbox_unsent_events\{[^}]*\} 0$/m.test(await registry.getSingleMetricAsString("todo_outbox_unsent_events")));
  });

  it("when the backend restarts with unsent events, then the new process publishes them once the broker is back", async () => {
    const before = h.sidecar.published.length;
    h.sidecar.failPublishes(true);
    const task = await h.createTask(user.token, { title: "survives a restart" });
    await h.request("PATCH", `/api/tasks/${task.id}`, { token: user.token, body: { priority: "high" } });
    await h.service.stop();
    assert.equal(await unsentCount(h), 2);
    h.service = await h.startReplica();
    h.sidecar.failPublishes(false);
    await h.published(before + 2);
    const events = validated(h.sidecar.published.slice(before));
    assert.deepEqual(typesOf(events, task.id), ["task.created", "task.updated"]);
    await until("the outbox drained", async () => (await unsentCount(h)) === 0);
  });

  it("when two replicas write the same tasks concurrently, then each task's events are published once, in version order", async () => {
    const before = h.sidecar.published.length;
    const second: RunningService = await h.startReplica();
    try {
      const tasks = await Promise.all(Array.from({ length: 4 }, (_, i) => h.createTask(user.token, { title: `shared ${i}` })));
      await Promise.all(
        tasks.flatMap((t) =>
          Array.from({ length: 6 }, (_, i) =>
            h.request("PATCH", `/api/tasks/${t.id}`, { token: user.token, body: { description: `edit ${i}` }, base: i % 2 ? second.url : h.service.url }),
          ),
        ),
      );
      await until("the outbox drained", async () => (await unsentCount(h)) === 0);
      await new Promise((r) => setTimeout(r, 300));
      const events = validated(h.sidecar.published.slice(before));
      assert.equal(events.length, 4 * 7);
      assert.equal(new Set(events.map((e) => e.id)).size, events.length);
      for (const t of tasks) {
        const versions = events
          .filter((e) => e.subject === t.id)
          .map((e) => (e.type === "task.created" || e.type === "task.updated" ? e.data.task.version : -1));
        assert.deepEqual(versions, [1, 2, 3, 4, 5, 6, 7]);
      }
    } finally {
      await second.stop();
    }
  });
});
