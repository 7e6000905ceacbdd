import assert from "node:assert/strict";
import type { LocalDapr } from "../src/dapr/local-dapr";
import { testDapr } from "./support/sidecar-fixture";
import { startTestApp, type TestApp } from "./support/test-app";

describe("local sidecar: invocation and secrets", () => {
  let dapr: LocalDapr;
  let caller: string;
  let target: TestApp;

  beforeEach(async () => {
    target = await startTestApp((req) => ({ status: req.path.startsWith("/missing") ? 404 : 201, body: { echo: req.json ?? null, method: req.method, path: req.path }, headers: { "x-target": "yes" } }));
    dapr = testDapr({ env: { JWT_SECRET: "s3cret", NOT_A_SECRET: "leak", WEBHOOK_SECRET: undefined }, allowedSecrets: ["jwt-secret", "webhook-secret"] });
    caller = (await dapr.addApp("caller", "http://127.0.0.1:1")).url;
    await dapr.addApp("target", target.url);
  });
  afterEach(async () => {
    await dapr.stop();
    await target.close();
  });

  it("when a method is invoked on another app, then method, path, query, headers and body go through and its status comes back", async () => {
    const res = await fetch(`${caller}/v1.0/invoke/target/method/internal/tasks/42/next?x=1`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-request-id": "r-1" },
      body: JSON.stringify({ due: "soon" }),
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("x-target"), "yes");
    assert.deepEqual(await res.json(), { echo: { due: "soon" }, method: "PATCH", path: "/internal/tasks/42/next?x=1" });
    const seen = target.requests[0]!;
    assert.equal(seen.headers["x-request-id"], "r-1");
    assert.equal(seen.headers["dapr-caller-app-id"], "caller");
  });

  it("when the target answers 404, then the caller sees 404; an unknown app-id is 500 ERR_DIRECT_INVOKE", async () => {
    assert.equal((await fetch(`${caller}/v1.0/invoke/target/method/missing`)).status, 404);
    const res = await fetch(`${caller}/v1.0/invoke/nobody/method/x`);
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, "ERR_DIRECT_INVOKE");
  });

  it("when the dapr-app-id header names the target, then a plain path is invoked on it", async () => {
    const res = await fetch(`${caller}/internal/ping?q=2`, { headers: { "dapr-app-id": "target" } });
    assert.equal(res.status, 201);
    assert.equal(((await res.json()) as { path: string }).path, "/internal/ping?q=2");
  });

  it("when the JWT secret is read, then it comes from JWT_SECRET; other names are refused", async () => {
    const ok = await fetch(`${caller}/v1.0/secrets/secretstore/jwt-secret`);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { "jwt-secret": "s3cret" });
    assert.equal((await fetch(`${caller}/v1.0/secrets/secretstore/not-a-secret`)).status, 403, "not in the allow-list, although the variable exists");
    assert.equal((await fetch(`${caller}/v1.0/secrets/secretstore/webhook-secret`)).status, 404, "allowed but not set");
    assert.equal((await fetch(`${caller}/v1.0/secrets/vault/jwt-secret`)).status, 401);
    assert.deepEqual(await (await fetch(`${caller}/v1.0/secrets/secretstore/bulk`)).json(), { "jwt-secret": { "jwt-secret": "s3cret" } });
  });
});
