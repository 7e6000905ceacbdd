import assert from "node:assert/strict";
import type { LocalDapr } from "../src/dapr/local-dapr";
import { parseDueTime, parseGoDuration, parseSchedule } from "../src/dapr/schedule";
import { testDapr } from "./support/sidecar-fixture";
import { eventually, startTestApp, type TestApp } from "./support/test-app";

describe("local sidecar: time expressions", () => {
  it("when Go durations are parsed, then compound units add up", () => {
    assert.equal(parseGoDuration("1h30m"), 5_400_000);
    assert.equal(parseGoDuration("500ms"), 500);
    assert.equal(parseGoDuration("2.5s"), 2500);
    assert.equal(parseGoDuration("tomorrow"), undefined);
  });

  it("when a dueTime is RFC 3339 it is that instant, and a duration counts from now", () => {
    assert.equal(parseDueTime("2030-01-02T03:04:05+02:00", 0), Date.parse("2030-01-02T01:04:05Z"));
    assert.equal(parseDueTime("10s", 1000), 11_000);
    assert.equal(parseDueTime("2030-01-02", 0), undefined);
  });

  it("when schedules are parsed, then @every and 5/6-field cron give the next firing", () => {
    assert.equal(parseSchedule("@every 30s").next(1000), 31_000);
    const t = Date.parse("2030-01-01T00:00:10Z");
    assert.equal(new Date(parseSchedule("0 * * * *").next(t)!).toISOString(), "2030-01-01T01:00:00.000Z");
    assert.equal(new Date(parseSchedule("*/15 * * * * *").next(t)!).toISOString(), "2030-01-01T00:00:15.000Z");
    assert.throws(() => parseSchedule("not a schedule"));
  });
});

describe("local sidecar: jobs", () => {
  let dapr: LocalDapr;
  let appA: TestApp;
  let appB: TestApp;
  let sidecarA: string;
  let sidecarB: string;

  beforeEach(async () => {
    appA = await startTestApp(() => ({ status: 200 }));
    appB = await startTestApp(() => ({ status: 200 }));
    dapr = testDapr();
    sidecarA = (await dapr.addApp("app-a", appA.url)).url;
    sidecarB = (await dapr.addApp("app-b", appB.url)).url;
  });
  afterEach(async () => {
    await dapr.stop();
    await appA.close();
    await appB.close();
  });

  const schedule = (sidecar: string, name: string, body: unknown) =>
    fetch(`${sidecar}/v1.0/jobs/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("when a job is due, then the same app is called back at /job/<name> with the data, not before the due time", async () => {
    const dueAt = Date.now() + 400;
    const res = await schedule(sidecarA, "reminder-1", { dueTime: new Date(dueAt).toISOString(), data: { taskId: "t1" } });
    assert.equal(res.status, 204);
    await eventually(() => appA.requests.length === 1, 5000, "the job callback");
    const call = appA.requests[0]!;
    assert.equal(call.method, "POST");
    assert.equal(call.path, "/job/reminder-1");
    assert.deepEqual(call.json, { taskId: "t1" });
    assert.ok(call.at >= dueAt, `fired ${dueAt - call.at} ms early`);
    assert.equal(appB.requests.length, 0, "the other app is never called");
    assert.equal((await fetch(`${sidecarA}/v1.0/jobs/reminder-1`)).status, 404, "a one-shot job is gone after it fired");
  });

  it("when a job with the same name exists, then scheduling without overwrite is 409 and with overwrite replaces it", async () => {
    assert.equal((await schedule(sidecarA, "r", { dueTime: "300ms", data: { v: 1 } })).status, 204);
    assert.equal((await schedule(sidecarA, "r", { dueTime: "300ms", data: { v: 2 } })).status, 409);
    assert.equal((await schedule(sidecarA, "r", { dueTime: "350ms", data: { v: 3 }, overwrite: true })).status, 204);
    const got = (await (await fetch(`${sidecarA}/v1.0/jobs/r`)).json()) as { data: unknown; dueTime: string };
    assert.deepEqual(got, { name: "r", dueTime: "350ms", data: { v: 3 } });
    await eventually(() => appA.requests.length >= 1, 5000, "the job callback");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(appA.requests.map((r) => r.json), [{ v: 3 }], "only the replacement fires, once");
  });

  it("when jobs of the same name are scheduled by two apps, then each app keeps its own", async () => {
    assert.equal((await schedule(sidecarA, "same", { dueTime: "100ms", data: "a" })).status, 204);
    assert.equal((await schedule(sidecarB, "same", { dueTime: "100ms", data: "b" })).status, 204);
    await eventually(() => appA.requests.length === 1 && appB.requests.length === 1, 5000, "both callbacks");
    assert.equal(appA.requests[0]!.json, "a");
    assert.equal(appB.requests[0]!.json, "b");
  });

  it("when a job is deleted before it is due, then it never fires and reads 404", async () => {
    await schedule(sidecarA, "cancel-me", { dueTime: "200ms", data: {} });
    assert.equal((await fetch(`${sidecarA}/v1.0/jobs/cancel-me`, { method: "DELETE" })).status, 204);
    assert.equal((await fetch(`${sidecarA}/v1.0/jobs/cancel-me`)).status, 404);
    assert.equal((await fetch(`${sidecarA}/v1.0/jobs/cancel-me`, { method: "DELETE" })).status, 404);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(appA.requests.length, 0);
  });

  it("when the app fails the callback, then it is retried until accepted (at least once)", async () => {
    let calls = 0;
    appA.reply = () => (++calls < 3 ? { status: 500 } : { status: 200 });
    await schedule(sidecarA, "flaky", { dueTime: "0s", data: { n: 1 } });
    await eventually(() => dapr.jobs.triggered === 1, 5000, "an accepted callback");
    assert.equal(appA.requests.length, 3);
  });

  it("when the body has neither dueTime nor schedule, or a bad dueTime, then scheduling is 400", async () => {
    assert.equal((await schedule(sidecarA, "bad", { data: {} })).status, 400);
    assert.equal((await schedule(sidecarA, "bad", { dueTime: "next tuesday" })).status, 400);
  });
});

describe("local sidecar: cron bindings", () => {
  it("when a cron binding ticks, then its app gets POST /<name> each time", async () => {
    const app = await startTestApp(() => ({ status: 200 }));
    const dapr = testDapr({ cronBindings: [{ name: "sweep", appId: "sweeper", schedule: "@every 150ms" }] });
    try {
      await dapr.addApp("sweeper", app.url);
      // The sidecar counts a tick as fired once the app has answered it, after the app saw the request.
      await eventually(() => app.requests.length >= 3 && (dapr.cron.fired.get("sweep") ?? 0) >= 3, 5000, "three ticks");
      assert.ok(app.requests.every((r) => r.method === "POST" && r.path === "/sweep"));
    } finally {
      await dapr.stop();
      await app.close();
    }
  });

  it("when a 6-field cron binding is given, then it fires on the second boundaries", async () => {
    const app = await startTestApp(() => ({ status: 200 }));
    const dapr = testDapr({ cronBindings: [{ name: "tick", appId: "ticker", schedule: "* * * * * *" }] });
    try {
      await dapr.addApp("ticker", app.url);
      await eventually(() => app.requests.length >= 2, 5000, "two ticks");
      const [a, b] = app.requests;
      assert.notEqual(Math.floor(b!.at / 1000), Math.floor(a!.at / 1000), "ticks fall in different seconds");
    } finally {
      await dapr.stop();
      await app.close();
    }
  });
});
