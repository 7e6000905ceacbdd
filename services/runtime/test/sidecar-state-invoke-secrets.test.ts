import assert from "node:assert/strict";
import type { LocalDapr } from "../src/dapr/local-dapr";
import { testDapr } from "./support/sidecar-fixture";
import { startTestApp, type TestApp } from "./support/test-app";

describe("local sidecar: state, invocation and secrets", () => {
  let dapr: LocalDapr;
  let caller: string;
  let target: TestApp;
  let otherSidecar: string;

  beforeEach(async () => {
    target = await startTestApp((req) => ({ status: req.path.startsWith("/missing") ? 404 : 201, body: { echo: req.json ?? null, method: req.method, path: req.path }, headers: { "x-target": "yes" } }));
    dapr = testDapr({ env: { JWT_SECRET: "s3cret", NOT_A_SECRET: "leak", WEBHOOK_SECRET: undefined }, allowedSecrets: ["jwt-secret", "webhook-secret"] });
    caller = (await dapr.addApp("caller", "http://127.0.0.1:1")).url;
    otherSidecar = (await dapr.addApp("target", target.url)).url;
  });
  afterEach(async () => {
    await dapr.stop();
    await target.close();
  });

  const save = (sidecar: string, items: unknown) =>
    fetch(`${sidecar}/v1.0/state/statestore`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(items) });

  it("when state is saved and read, then the value comes back with an ETag, and a missing key is 204", async () => {
    assert.equal((await save(caller, [{ key: "k", value: { a: 1 } }])).status, 204);
    const res = await fetch(`${caller}/v1.0/state/statestore/k`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { a: 1 });
    assert.ok(res.headers.get("etag"));
    assert.equal((await fetch(`${caller}/v1.0/state/statestore/nope`)).status, 204);
  });

  it("when a write carries a stale ETag, then it is 409 and the value is unchanged; the current ETag wins", async () => {
    await save(caller, [{ key: "k", value: 1 }]);
    const etag = (await fetch(`${caller}/v1.0/state/statestore/k`)).headers.get("etag")!;
    assert.equal((await save(caller, [{ key: "k", value: 2, etag: `${etag}0` }])).status, 409);
    assert.equal(await (await fetch(`${caller}/v1.0/state/statestore/k`)).json(), 1);
    assert.equal((await save(caller, [{ key: "k", value: 3, etag }])).status, 204);
    assert.equal((await save(caller, [{ key: "k", value: 4, etag }])).status, 409, "that ETag is stale now");
  });

  it("when first-write is asked without an ETag for an existing key, then it is 409", async () => {
    assert.equal((await save(caller, [{ key: "fw", value: 1, options: { concurrency: "first-write" } }])).status, 204);
    assert.equal((await save(caller, [{ key: "fw", value: 2, options: { concurrency: "first-write" } }])).status, 409);
  });

  it("when a delete carries a wrong If-Match, then it is 409; with the right one the key is gone", async () => {
    await save(caller, [{ key: "d", value: 1 }]);
    const etag = (await fetch(`${caller}/v1.0/state/statestore/d`)).headers.get("etag")!;
    assert.equal((await fetch(`${caller}/v1.0/state/statestore/d`, { method: "DELETE", headers: { "if-match": "bogus" } })).status, 409);
    assert.equal((await fetch(`${caller}/v1.0/state/statestore/d`, { method: "DELETE", headers: { "if-match": etag } })).status, 204);
    assert.equal((await fetch(`${caller}/v1.0/state/statestore/d`)).status, 204);
  });

  it("when two apps use the same key, then each sees only its own value; an unknown store is 400", async () => {
    await save(caller, [{ key: "shared", value: "mine" }]);
    assert.equal((await fetch(`${otherSidecar}/v1.0/state/statestore/shared`)).status, 204);
    assert.equal((await fetch(`${caller}/v1.0/state/redis/shared`)).status, 400);
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
