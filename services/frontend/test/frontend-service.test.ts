import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start } from "../src/frontend-service";
import type { RunningService } from "../../shared/src/http/run-service";

describe("frontend service", () => {
  let service: RunningService;
  before(async () => {
    const root = mkdtempSync(join(tmpdir(), "web-"));
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "index.html"), "<!doctype html><title>Todo</title>");
    writeFileSync(join(root, "assets", "app-abc123.js"), "console.log(1)");
    service = await start({ PORT: 0, HOST: "127.0.0.1", WEB_ROOT: root, SHUTDOWN_TIMEOUT_S: 1, LOG_LEVEL: "silent" });
  });
  after(() => service.stop());

  it("when the page is requested, then index.html comes with a self-only CSP and no caching", async () => {
    const res = await fetch(`${service.url}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<title>Todo<\/title>/);
    assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    assert.equal(res.headers.get("cache-control"), "no-cache");
  });

  it("when the page is served, then sockets may only go to its own origin and nobody may frame it", async () => {
    const res = await fetch(`${service.url}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    // 'self' covers ws:/wss: of the page's own host and port (CSP Level 3); a bare `ws:` would allow any host.
    assert.match(csp, /connect-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /\bwss?:/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.ok(res.headers.get("referrer-policy"));
  });

  it("when the production web bundle is built, then it has no source map to serve", async () => {
    const { default: viteConfig } = (await import("../vite.config.mjs")) as { default: { build?: { sourcemap?: unknown } } };
    assert.equal(viteConfig.build?.sourcemap, false);
  });

  it("when a client route is reloaded, then it gets index.html; hashed assets are immutable", async () => {
    assert.equal((await fetch(`${service.url}/tasks/123`)).status, 200);
    const asset = await fetch(`${service.url}/assets/app-abc123.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    assert.equal((await fetch(`${service.url}/assets/missing.js`)).status, 404);
  });

  it("when asked for health, then it is live and ready with a build present", async () => {
    assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${service.url}/readyz`)).status, 200);
  });
});
