import assert from "node:assert/strict";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "#services/testing/database";
import { startLocalRuntime, type LocalRuntime } from "#services/local-runtime";
import { JOURNEY_STEPS, runSmokeJourney, type JourneyStep } from "../../scripts/smoke/smoke-journey";

/**
 * The post-deploy check against the real thing on one machine: every service as its own process
 * behind the gateway, as `npm start` runs them. What passes here is what `deploy.yml` runs against
 * the cloud stack and `e2e-minikube.yml` against Minikube.
 */
describe("smoke journey against the local runtime (npm start)", function () {
  this.timeout(240_000);
  let db: TestDatabase;
  let runtime: LocalRuntime;

  before(async () => {
    db = await createTestDatabase();
    runtime = await startLocalRuntime({ port: 0, databaseUrl: db.url, output: "silent", logLevel: "warn", readyTimeoutMs: 180_000 });
  });

  after(async () => {
    await runtime?.stop();
    await db?.stop();
    await stopTestDatabases();
  });

  it("when the journey runs, then every step passes in order: signup, live task.created/completed, next occurrence a day later, cleanup", async () => {
    const passed: { step: JourneyStep; detail: string }[] = [];
    const failures: string[] = [];
    const result = await runSmokeJourney(
      { baseUrl: runtime.url, readyTimeoutMs: 60_000, stepTimeoutMs: 10_000 },
      { passed: (step, _ms, detail) => passed.push({ step, detail }), failed: (step, _ms, message) => failures.push(`${step}: ${message}`) },
    );
    assert.deepEqual(failures, []);
    assert.equal(result.ok, true);
    assert.deepEqual(
      passed.map((p) => p.step),
      [...JOURNEY_STEPS],
    );
    assert.match(passed.find((p) => p.step === "delete both tasks")!.detail, /both 404/);
  });

  it("when the journey runs twice, then the second run is independent (fresh user, no leftovers in the way)", async () => {
    const result = await runSmokeJourney({ baseUrl: runtime.url, readyTimeoutMs: 10_000, stepTimeoutMs: 10_000 }, { passed: () => undefined, failed: () => undefined });
    assert.equal(result.ok, true, result.message);
  });
});
