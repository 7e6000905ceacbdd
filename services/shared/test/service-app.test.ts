import assert from "node:assert/strict";
import { Router } from "express";
import pg from "pg";
import { createServiceApp } from "../src/http/service-app";
import { listen, type RunningService } from "../src/http/run-service";
import { createLogger } from "../src/telemetry/logger";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";

/** The common app every service is built from: what each of them answers before its own routes run. */
describe("service app factory: headers, methods, database value errors", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let service: RunningService;

  before(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const routes = Router();
    routes.get("/things", (_req, res) => {
      res.json({ items: [] });
    });
    routes.post("/things", (_req, res) => {
      res.status(201).json({});
    });
    routes.patch("/things/:id", (_req, res) => {
      res.json({});
    });
    routes.delete("/things/:id", (_req, res) => {
      res.status(204).end();
    });
    // A value no schema checked, straight into SQL as a bind parameter.
    routes.get("/unchecked", async (req, res) => {
      const { rows } = await pool.query("SELECT $1::timestamptz AS at, $2::text AS t", [req.query.at, req.query.t ?? "x"]);
      res.json(rows[0]);
    });
    routes.get("/cached", (_req, res) => {
      res.setHeader("Cache-Control", "public, max-age=60");
      res.json({});
    });
    const app = createServiceApp({ log: createLogger("test", "silent"), readiness: {}, routes: [routes] });
    service = await listen({ port: 0, host: "127.0.0.1", log: createLogger("test", "silent"), handler: app });
  });
  after(async () => {
    await service?.stop();
    await pool?.end();
    await stopTestDatabases();
  });

  it("when any answer goes out (success, 404, 400), then it carries nosniff, frame-ancestors 'none', X-Frame-Options, Referrer-Policy and no-store", async () => {
    for (const path of ["/things", "/nothing-here", "/unchecked?at=2020-01-01T00:00:00Z&t=a%00b", "/healthz"]) {
      const res = await fetch(`${service.url}${path}`);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'.*frame-ancestors 'none'/, path);
      assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      assert.equal(res.headers.get("referrer-policy"), "no-referrer", path);
      assert.equal(res.headers.get("cache-control"), "no-store", path);
      assert.equal(res.headers.get("x-powered-by"), null, path);
    }
  });

  it("when /metrics is scraped directly, then it answers; through a proxy (X-Forwarded-For), then it does not exist", async () => {
    const direct = await fetch(`${service.url}/metrics`);
    assert.equal(direct.status, 200);
    assert.match(await direct.text(), /# TYPE/);
    const proxied = await fetch(`${service.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    assert.equal(proxied.status, 404);
    assert.doesNotMatch(await proxied.text(), /# TYPE/);
  });

  it("when a route sets its own Cache-Control, then that one is kept", async () => {
    assert.equal((await fetch(`${service.url}/cached`)).headers.get("cache-control"), "public, max-age=60");
  });

  it("when a path exists but not for the method, then it is 405 with Allow; unknown paths stay 404", async () => {
    for (const [method, path, allow] of [
      ["PUT", "/things", "GET, HEAD, POST"],
      ["DELETE", "/things", "GET, HEAD, POST"],
      ["GET", "/things/1", "DELETE, PATCH"],
      ["POST", "/healthz", "GET, HEAD"],
      ["DELETE", "/metrics", "GET, HEAD"],
    ] as const) {
      const res = await fetch(`${service.url}${path}`, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.get("allow"), allow, `${method} ${path}`);
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, "method_not_allowed");
    }
    assert.equal((await fetch(`${service.url}/nothing-here`, { method: "PUT" })).status, 404);
    assert.equal((await fetch(`${service.url}/things`, { method: "HEAD" })).status, 200);
  });

  it("when PostgreSQL refuses a request value (SQLSTATE 22xxx), then the answer is 400, not 500", async () => {
    for (const q of ["at=0000-01-01T00:00:00Z", "at=%2B275760-09-13T00:00:00Z", "at=2020-01-01T00:00:00Z&t=a%00b", "at=soon"]) {
      const res = await fetch(`${service.url}/unchecked?${q}`);
      assert.equal(res.status, 400, q);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "invalid_value", q);
      assert.doesNotMatch(body.error.message, /timestamptz|SQL|postgres/i, "no database internals in the message");
    }
    assert.equal((await fetch(`${service.url}/unchecked?at=2020-01-01T00:00:00Z`)).status, 200);
  });
});
