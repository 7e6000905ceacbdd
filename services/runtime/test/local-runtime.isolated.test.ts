import assert from "node:assert/strict";
import { AnyEvent } from "@todo/contracts/events";
import { topics } from "@todo/contracts/topology";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { startLocalRuntime, type LocalRuntime } from "../src/local-runtime";
import { eventually, startTestApp, type TestApp } from "./support/test-app";
import { request } from "./support/json-request";

/**
 * End to end through the real services (as child processes) behind the gateway: issue 2's "no event is
 * lost" — with the sidecar's publishing failing, tasks are still created; once it recovers every
 * event reaches a subscriber, in per-task order, valid against its schema.
 */
describe("local runtime end to end (backend + event-processor as processes)", function () {
  this.timeout(180_000);
  let db: TestDatabase;
  let runtime: LocalRuntime;
  let subscriber: TestApp;

  before(async () => {
    db = await createTestDatabase();
    subscriber = await startTestApp(() => ({ status: 200, body: { status: "SUCCESS" } }));
    runtime = await startLocalRuntime({ port: 0, databaseUrl: db.url, services: ["backend", "event-processor"], output: "silent", logLevel: "warn", readyTimeoutMs: 150_000 });
    runtime.dapr.registerApp("e2e-subscriber", subscriber.url);
    runtime.dapr.addSubscription({ name: "e2e-task-events", appId: "e2e-subscriber", topic: topics.taskEvents, route: "/events/task-events" });
  });

  after(async () => {
    await runtime?.stop();
    await subscriber?.close();
    await db?.stop();
    await stopTestDatabases();
  });

  const api = (method: string, path: string, token?: string, body?: unknown) => request(runtime.url, method, path, { token, body });

  it("when the runtime is up, then /readyz lists every part as ok, /internal is not routed and /metrics/<app> is served on the loopback metrics port only", async () => {
    const ready = await api("GET", "/readyz");
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { database: "ok", sidecar: "ok", backend: "ok", "event-processor": "ok" });
    assert.equal((await api("GET", "/internal/tasks/00000000-0000-0000-0000-000000000000")).status, 404);
    const metrics = await fetch(`${runtime.metricsUrl}/metrics/backend`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /# TYPE/);
    assert.match(runtime.metricsUrl, /^http:\/\/127\.0\.0\.1:/);
    for (const path of ["/metrics/backend", "/metrics", "/metrics/frontend"]) {
      const res = await fetch(`${runtime.url}${path}`);
      assert.equal(res.status, 404, `public ${path}`);
      assert.doesNotMatch(await res.text(), /# TYPE/, `public ${path}`);
    }
  });

  it("when a gateway route is asked with another method, then it is 405 with Allow", async () => {
    for (const path of ["/healthz", "/readyz"]) {
      const res = await fetch(`${runtime.url}${path}`, { method: "POST" });
      assert.equal(res.status, 405, path);
      assert.equal(res.headers.get("allow"), "GET, HEAD");
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    }
    const res = await fetch(`${runtime.url}/api/tasks`, { method: "PUT", headers: { authorization: "Bearer x" } });
    assert.equal(res.status, 401, "the service decides after the gateway: no token, no method list");
  });

  it("when publishing fails, then tasks are still created; when it recovers, every event reaches the subscriber in per-task order, valid", async () => {
    const signup = await api("POST", "/api/auth/signup", undefined, { email: `e2e-${Date.now()}@example.com`, password: "a-long-enough-passphrase-42" });
    assert.equal(signup.status, 201, JSON.stringify(signup.body));
    const token = signup.body.token as string;

    runtime.dapr.faults.publish = "fail";
    const taskIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api("POST", "/api/tasks", token, { title: `task ${i}` });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      taskIds.push(id);
      assert.equal((await api("PATCH", `/api/tasks/${id}`, token, { title: `task ${i} renamed` })).status, 200);
      assert.equal((await api("POST", `/api/tasks/${id}/complete`, token)).status, 200);
    }
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(subscriber.requests.length, 0, "nothing can be delivered while publishing fails");
    assert.equal(runtime.dapr.counters.published, 0);

    runtime.dapr.faults.publish = "ok";
    const firstSeen = () => {
      const byId = new Map<string, AnyEvent>();
      for (const r of subscriber.requests) {
        const event = AnyEvent.parse(r.json); // throws (fails the test) on an event that breaks its schema
        if (!byId.has(event.id)) byId.set(event.id, event);
      }
      return [...byId.values()];
    };
    const typesOf = (taskId: string) => firstSeen().filter((e) => e.subject === taskId).map((e) => e.type);
    await eventually(() => taskIds.every((id) => typesOf(id).length >= 3), 90_000, "all events after recovery");
    for (const id of taskIds) assert.deepEqual(typesOf(id), ["task.created", "task.updated", "task.completed"], `order of task ${id}`);
    assert.equal(runtime.dapr.deadLetters.length, 0);
  });

  it("when a service is killed, then its supervisor restarts it and the API answers again", async () => {
    await runtime.kill("backend");
    await runtime.waitReady(120_000);
    const res = await api("POST", "/api/auth/login", undefined, { email: "nobody@example.com", password: "whatever-password-1" });
    assert.equal(res.status, 401);
  });

  it("when a service is restarted gracefully, then it is ready again and keeps consuming", async () => {
    const before = runtime.dapr.counters.delivered;
    await runtime.restart("event-processor");
    await runtime.waitReady(120_000);
    const signup = await api("POST", "/api/auth/signup", undefined, { email: `e2e-r-${Date.now()}@example.com`, password: "a-long-enough-passphrase-42" });
    assert.equal((await api("POST", "/api/tasks", signup.body.token, { title: "after restart" })).status, 201);
    await eventually(() => runtime.dapr.counters.delivered >= before + 2, 60_000, "delivery to the restarted event-processor and the test subscriber");
  });
});
