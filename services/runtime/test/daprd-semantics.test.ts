import assert from "node:assert/strict";
import { localDaprResources, resiliencyPolicies, type DaprObject } from "@todo/contracts/dapr-resources";
import type { LocalDapr } from "../src/dapr/local-dapr";
import { Backoff, DAPR_BACKOFF } from "../src/dapr/resiliency/backoff";
import { unusedPort as freePort } from "../src/ports";
import { BEFORE_RESILIENCY } from "./support/before-policies";
import { cloudEvent, publish, testDapr } from "./support/sidecar-fixture";
import { eventually, startTestApp, type TestApp } from "./support/test-app";

/**
 * The numbered behaviours of issue 14, each as daprd 1.18.3 shows it. "Before" policies are the ones
 * the repository deployed until then: the faithful runtime under them loses events; under the current
 * ones (services/contracts/src/dapr-resources.ts) it does not.
 */

/** The deployed resources with the Resiliency spec or a component's metadata replaced. */
function resourcesWith(change: { resiliency?: Record<string, unknown>; pubsubMetadata?: Record<string, string> }): DaprObject[] {
  return localDaprResources().map((r) => {
    if (r.kind === "Resiliency" && change.resiliency) return { ...r, spec: change.resiliency };
    if (r.kind === "Component" && r.metadata.name === "pubsub" && change.pubsubMetadata) {
      const meta = (r.spec.metadata as Array<{ name: string; value?: string }>).filter((m) => !(m.name in change.pubsubMetadata!));
      return { ...r, spec: { ...r.spec, metadata: [...meta, ...Object.entries(change.pubsubMetadata).map(([name, value]) => ({ name, value }))] } };
    }
    return r;
  });
}

const BEFORE = BEFORE_RESILIENCY;

const ids = (app: TestApp) => app.requests.filter((r) => r.method === "POST").map((r) => (r.json as { id: string }).id);

describe("daprd 1.18 semantics in the local sidecar", () => {
  let dapr: LocalDapr;
  const apps: TestApp[] = [];
  const app = async (reply?: TestApp["reply"]) => {
    const a = await startTestApp(reply);
    apps.push(a);
    return a;
  };
  afterEach(async () => {
    await dapr?.stop();
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  const subs = [
    { name: "a", appId: "consumer", topic: "orders", route: "/orders", deadLetterTopic: "orders-deadletter" },
    { name: "b", appId: "consumer", topic: "payments", route: "/payments", deadLetterTopic: "payments-deadletter" },
    { name: "dl-a", appId: "operator", topic: "orders-deadletter", route: "/dl" },
    { name: "dl-b", appId: "operator", topic: "payments-deadletter", route: "/dl" },
  ];

  describe("1. a subscriber that is down or failing", () => {
    it("when the subscriber refuses connections and has no health check, then the event is retried per policy and dead-lettered", async () => {
      const operator = await app();
      dapr = testDapr({ subscriptions: subs });
      const producer = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
      dapr.registerApp("consumer", `http://127.0.0.1:${await freePort()}`); // nothing listens
      dapr.registerApp("operator", operator.url);
      const event = cloudEvent("t1");
      await publish(producer, "orders", event);
      await dapr.idle();
      assert.deepEqual(ids(operator), [event.id], "dead-lettered");
      assert.equal(dapr.counters.retried, resiliencyPolicies.retries.deliveryRetry.maxRetries);
    });

    it("when the subscriber is down and its health check is on, then delivery pauses and resumes when it is back, with nothing dead-lettered", async () => {
      const operator = await app();
      const port = await freePort();
      dapr = testDapr({ subscriptions: subs, appHealth: { path: "/readyz", intervalMs: 20, timeoutMs: 200, threshold: 3 } });
      const producer = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
      await dapr.addApp("consumer", `http://127.0.0.1:${port}`);
      dapr.registerApp("operator", operator.url);
      const events = [cloudEvent("t1"), cloudEvent("t2"), cloudEvent("t3")];
      for (const e of events) await publish(producer, "orders", e);
      await new Promise((r) => setTimeout(r, 1000)); // many times the scaled retry schedule
      assert.equal(operator.requests.length, 0);
      const back = await startTestApp(undefined, port);
      apps.push(back);
      await dapr.idle();
      assert.deepEqual(ids(back), events.map((e) => e.id));
      assert.equal(dapr.deadLetters.length, 0);
    });

    it("when one topic trips the per-component breaker (before: deliveryBreaker), then a healthy topic's event goes to its dead-letter topic with no attempt", async () => {
      const consumer = await app((req) => (req.path === "/orders" ? { status: 500 } : { status: 200 }));
      const operator = await app();
      dapr = testDapr({ subscriptions: subs, resources: resourcesWith({ resiliency: BEFORE }) });
      const producer = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
      await dapr.addApp("consumer", consumer.url);
      dapr.registerApp("operator", operator.url);
      for (let i = 0; i < 2; i++) await publish(producer, "orders", cloudEvent(`bad-${i}`));
      await dapr.idle();
      const healthy = cloudEvent("good");
      await publish(producer, "payments", healthy);
      await dapr.idle();
      assert.ok(!consumer.requests.some((r) => r.path === "/payments"), "never attempted");
      assert.ok(ids(operator).includes(healthy.id), "the healthy event was dead-lettered");
    });

    it("when a subscription has no dead-letter topic, then after the retries the event is gone (Redis acks after the error)", async () => {
      const consumer = await app(() => ({ status: 500 }));
      dapr = testDapr({ subscriptions: [{ name: "x", appId: "consumer", topic: "orders", route: "/orders" }] });
      const producer = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
      await dapr.addApp("consumer", consumer.url);
      await publish(producer, "orders", cloudEvent("t"));
      await dapr.idle();
      assert.equal(dapr.counters.discarded, 1);
      assert.equal(dapr.counters.deadLettered, 0);
    });
  });

  describe("2. invocation retries and breakers act on status codes", () => {
    // A real app-id: the deployed Resiliency has targets for the topology's apps only.
    const invoke = (sidecar: string, method: string, target = "target") => fetch(`${sidecar}/v1.0/invoke/${target}/method/${method}`);

    it("when the policy has no matching and an app breaker (before), then a 404 is retried and five of them turn the next call into 500 ERR_DIRECT_INVOKE", async () => {
      const target = await app((req) => ({ status: req.path === "/missing" ? 404 : 200, body: {} }));
      dapr = testDapr({ resources: resourcesWith({ resiliency: BEFORE }) });
      const caller = (await dapr.addApp("caller", "http://127.0.0.1:9")).url;
      await dapr.addApp("target", target.url);
      assert.equal((await invoke(caller, "missing")).status, 404);
      assert.equal(target.requests.length, 4, "the first attempt and 3 retries");
      const after = await invoke(caller, "missing");
      assert.equal(after.status, 500);
      assert.equal(((await after.json()) as { errorCode: string }).errorCode, "ERR_DIRECT_INVOKE");
    });

    it("when the deployed policy is used, then a 404 is answered once and stays 404 however often it is asked", async () => {
      const target = await app((req) => ({ status: req.path === "/missing" ? 404 : 200, body: {} }));
      dapr = testDapr();
      const caller = (await dapr.addApp("caller", "http://127.0.0.1:9")).url;
      await dapr.addApp("event-processor", target.url);
      for (let i = 0; i < 8; i++) assert.equal((await invoke(caller, "missing", "event-processor")).status, 404);
      assert.equal(target.requests.length, 8, "no retries of a 4xx");
      assert.equal((await invoke(caller, "ok", "event-processor")).status, 200);
    });

    it("when the target answers 503 and then recovers, then the deployed policy retries it", async () => {
      let n = 0;
      const target = await app(() => ({ status: n++ < 2 ? 503 : 200, body: {} }));
      dapr = testDapr();
      const caller = (await dapr.addApp("caller", "http://127.0.0.1:9")).url;
      await dapr.addApp("event-processor", target.url);
      assert.equal((await invoke(caller, "x", "event-processor")).status, 200);
      assert.equal(target.requests.length, 3);
    });
  });

  describe("3. Redis consumer concurrency and stream bounds", () => {
    it("when the component runs Redis' default 10 workers, then a key's events are not kept in order", async () => {
      const consumer = await app(async (req) => {
        const n = Number((req.json as { data: { n: number } }).data.n);
        await new Promise((r) => setTimeout(r, n === 0 ? 150 : 1));
        return { status: 200 };
      });
      dapr = testDapr({ subscriptions: subs, resources: resourcesWith({ pubsubMetadata: { concurrency: "10" } }) });
      const producer = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
      await dapr.addApp("consumer", consumer.url);
      for (let n = 0; n < 3; n++) await publish(producer, "orders", cloudEvent("same-task", { n }), { key: "same-task" });
      await dapr.idle();
      const done = consumer.requests.map((r) => (r.json as { data: { n: number } }).data.n);
      assert.deepEqual(done.slice(0, 3), [0, 1, 2], "all three started at once");
      assert.equal(dapr.counters.delivered, 3);
    });

    it("when the deployed component (concurrency 1) is used, then a slow event is finished before the next one starts", async () => {
      const finished: number[] = [];
      const started: number[] = [];
      const consumer = await app(async (req) => {
        const n = Number((req.json as { data: { n: number } }).data.n);
        started.push(n);
        assert.deepEqual(finished, started.slice(0, -1));
        await new Promise((r) => setTimeout(r, n === 0 ? 100 : 1));
        finished.push(n);
        return { status: 200 };
      });
      dapr = testDapr({ subscriptions: subs });
      const producer = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
      await dapr.addApp("consumer", consumer.url);
      for (let n = 0; n < 4; n++) await publish(producer, "orders", cloudEvent("same-task", { n }), { key: "same-task" });
      await dapr.idle();
      assert.deepEqual(finished, [0, 1, 2, 3]);
    });

    it("when more events than maxLenApprox pile up undelivered, then the oldest are trimmed away", async () => {
      const consumer = await app();
      dapr = testDapr({ subscriptions: subs, resources: resourcesWith({ pubsubMetadata: { maxLenApprox: "2" } }) });
      const producer = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
      await dapr.addApp("consumer", consumer.url);
      dapr.faults.delivery = "paused";
      for (let n = 0; n < 5; n++) await publish(producer, "orders", cloudEvent("t", { n }));
      dapr.faults.delivery = "ok";
      await dapr.idle();
      assert.equal(dapr.counters.trimmed, 3);
      assert.equal(consumer.requests.length, 2);
    });
  });

  describe("4. jobs", () => {
    const schedule = (sidecar: string, name: string, body: Record<string, unknown>) =>
      fetch(`${sidecar}/v1.0/jobs/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ dueTime: "0s", data: {}, ...body }) });

    it("when a job has no failurePolicy and its callback keeps failing, then it is tried 1 + 3 times and is gone", async () => {
      const target = await app(() => ({ status: 500 }));
      dapr = testDapr();
      const sidecar = (await dapr.addApp("target", target.url)).url;
      assert.equal((await schedule(sidecar, "j1", {})).status, 204);
      await eventually(() => dapr.jobs.failures.length === 1, 5000, "the job to be given up");
      assert.equal(target.requests.length, 4);
      assert.equal((await fetch(`${sidecar}/v1.0/jobs/j1`)).status, 404);
    });

    it("when the app answers 404, then the job counts as done and is not retried", async () => {
      const target = await app(() => ({ status: 404 }));
      dapr = testDapr();
      const sidecar = (await dapr.addApp("target", target.url)).url;
      await schedule(sidecar, "j2", {});
      await eventually(() => dapr.jobs.triggered === 1, 5000, "the trigger");
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(target.requests.length, 1);
      assert.equal(dapr.jobs.failures.length, 0);
    });

    it("when a job carries failurePolicy constant, then it is retried at that interval as often as it says", async () => {
      let n = 0;
      const target = await app(() => ({ status: n++ < 5 ? 503 : 200 }));
      dapr = testDapr();
      const sidecar = (await dapr.addApp("target", target.url)).url;
      await schedule(sidecar, "j3", { failurePolicy: { constant: { interval: "10ms", maxRetries: 10 } } });
      await eventually(() => dapr.jobs.triggered === 1, 5000, "the trigger");
      assert.equal(target.requests.length, 6);
      assert.equal((await schedule(sidecar, "j4", { failurePolicy: { constant: { interval: "soon" } } })).status, 400);
    });
  });

  describe("5. retry timing and attempt timeout", () => {
    it("when an exponential policy is read, then duration is ignored: 500 ms × 1.5 ± 50 %, capped at maxInterval, maxRetries times", () => {
      const schedule = { policy: "exponential" as const, durationMs: 200, maxIntervalMs: 1000, maxRetries: 5, maxElapsedMs: 15 * 60_000 };
      const mid = new Backoff(schedule, DAPR_BACKOFF, () => 0.5);
      assert.deepEqual([1, 2, 3, 4, 5].map(() => mid.next()), [500, 750, 1000, 1000, 1000]);
      assert.equal(mid.next(), undefined);
      const low = new Backoff(schedule, DAPR_BACKOFF, () => 0);
      assert.equal(low.next(), 250);
      const high = new Backoff(schedule, DAPR_BACKOFF, () => 1);
      assert.equal(high.next(), 750);
    });

    it("when a subscriber hangs longer than the delivery timeout, then the attempt is cut and retried", async () => {
      // The first attempt hangs far longer than the timeout; the retry answers at once. Order, not wall
      // time, is asserted: the delivery succeeds while the first attempt is still hanging.
      let n = 0;
      let firstAttemptEnded = false;
      const consumer = await app(async () => {
        if (n++ === 0) {
          await new Promise((r) => setTimeout(r, 20_000).unref());
          firstAttemptEnded = true;
        }
        return { status: 200 };
      });
      const spec = structuredClone(localDaprResources().find((r) => r.kind === "Resiliency")!.spec) as { policies: { timeouts: Record<string, string> } };
      spec.policies.timeouts.delivery = "100ms";
      dapr = testDapr({ subscriptions: subs, resources: resourcesWith({ resiliency: spec }) });
      const producer = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
      await dapr.addApp("consumer", consumer.url);
      await publish(producer, "orders", cloudEvent("t"));
      await eventually(() => dapr.counters.delivered === 1, 15_000, "delivery after the timed-out attempt");
      assert.equal(firstAttemptEnded, false, "the hanging attempt was cut, not waited for");
      assert.equal(dapr.counters.retried, 1);
    });
  });
});
