import assert from "node:assert/strict";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { loadConfig } from "../../shared/src/config";
import type { RunningService } from "../../shared/src/http/run-service";
import type { Task } from "@todo/contracts/task";
import { backendConfigSchema } from "../../backend/src/config";
import { start as startBackend } from "../../backend/src/backend-service";
import { eventProcessorConfigSchema } from "../src/config";
import { start } from "../src/event-processor-service";
import { startRecordingSidecar, type RecordingSidecar } from "../../testing/recording-sidecar";

const JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

/**
 * The event-processor against the real backend (its internal routes, unique parent constraint and
 * history proxy), wired through a sidecar that forwards service invocation both ways.
 */
describe("event-processor with the real backend", () => {
  let db: TestDatabase;
  let sidecar: RecordingSidecar;
  let backend: RunningService;
  let a: RunningService;
  let b: RunningService;

  before(async () => {
    db = await createTestDatabase();
    sidecar = await startRecordingSidecar({ secrets: { "jwt-secret": JWT_SECRET } });
    const common = { PORT: "0", HOST: "127.0.0.1", DATABASE_URL: db.url, DAPR_HTTP_PORT: String(sidecar.port), LOG_LEVEL: "silent" };
    backend = await startBackend(loadConfig(backendConfigSchema, { ...common, OUTBOX_POLL_MS: "50" }));
    const config = loadConfig(eventProcessorConfigSchema, common);
    [a, b] = await Promise.all([start(config), start(config)]);
    sidecar.setInvokeTarget("backend", backend.url);
    sidecar.setInvokeTarget("event-processor", a.url);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await backend?.stop();
    await sidecar?.stop();
    await db?.stop();
    await stopTestDatabases();
  });

  async function call(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${backend.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  }

  async function signup(email: string): Promise<string> {
    const res = await fetch(`${backend.url}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "correct horse battery staple 42" }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { token: string }).token;
  }

  async function publishedEvent(type: string, taskId: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 100; i++) {
      const found = sidecar.published.map((p) => p.body as Record<string, unknown>).find((e) => e.type === type && e.subject === taskId);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the outbox never published ${type} for ${taskId}`);
  }

  async function deliver(service: RunningService, event: Record<string, unknown>): Promise<string> {
    const res = await fetch(`${service.url}/events/task-events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify({ ...event, topic: "task-events", pubsubname: "pubsub" }),
    });
    return ((await res.json()) as { status: string }).status;
  }

  it("when a daily task's completion reaches two replicas several times, then the backend holds exactly one next occurrence, and the owner alone sees the history", async () => {
    const token = await signup("ada@example.com");
    const due = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000); // a whole minute, an hour ahead
    const created = await call("POST", "/api/tasks", token, {
      title: "stand-up",
      tags: ["work"],
      priority: "high",
      dueAt: due.toISOString(),
      remindAt: new Date(due.getTime() - 15 * 60_000).toISOString(),
      recurrence: "FREQ=DAILY",
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = created.body as Task;
    assert.equal((await call("POST", `/api/tasks/${task.id}/complete`, token)).status, 200);

    const createdEvent = await publishedEvent("task.created", task.id);
    const completedEvent = await publishedEvent("task.completed", task.id);
    assert.equal(await deliver(a, createdEvent), "SUCCESS");
    const verdicts = await Promise.all([deliver(a, completedEvent), deliver(b, completedEvent), deliver(b, completedEvent), deliver(a, completedEvent)]);
    assert.deepEqual(verdicts, ["SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"]);

    const pending = await call("GET", "/api/tasks?status=pending", token);
    assert.equal(pending.status, 200);
    const next = (pending.body.items as Task[]).filter((t) => t.title === "stand-up");
    assert.equal(next.length, 1, "exactly one next occurrence");
    const dayLater = new Date(due.getTime() + 86_400_000);
    assert.equal(next[0]!.dueAt, dayLater.toISOString());
    assert.equal(next[0]!.remindAt, new Date(dayLater.getTime() - 15 * 60_000).toISOString());
    assert.deepEqual([next[0]!.priority, next[0]!.tags, next[0]!.recurrence], ["high", ["work"], task.recurrence]);

    const history = await call("GET", `/api/tasks/${task.id}/history`, token);
    assert.equal(history.status, 200, JSON.stringify(history.body));
    assert.deepEqual(history.body.items.map((i: { type: string }) => i.type), ["task.created", "task.completed"]);
    const stranger = await signup("eve@example.com");
    assert.equal((await call("GET", `/api/tasks/${task.id}/history`, stranger)).status, 404);
  });
});
