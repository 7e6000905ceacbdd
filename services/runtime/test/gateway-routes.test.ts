import assert from "node:assert/strict";
import { ingressRoutes, routeFor } from "../src/gateway/ingress-routes";
import { loadRuntimeConfig } from "../src/config";

describe("npm start's listening addresses", () => {
  it("when HOST is not set, then the public port binds loopback only, and metrics have a loopback port of their own", () => {
    const cfg = loadRuntimeConfig({});
    assert.equal(cfg.HOST, "127.0.0.1");
    assert.equal(cfg.METRICS_PORT, 9464);
    assert.equal(loadRuntimeConfig({ HOST: "0.0.0.0", METRICS_PORT: "0" }).HOST, "0.0.0.0");
  });
});

describe("gateway routing (from topology.ts, like the Ingress)", () => {
  const routes = ingressRoutes();
  const cases: Array<[string, string | undefined]> = [
    ["/api/notifications", "notification"],
    ["/api/notifications/123/read", "notification"],
    ["/api/tasks", "backend"],
    ["/api/tasks/1/history", "backend"],
    ["/api", "backend"],
    ["/ws", "websocket"],
    ["/", "frontend"],
    ["/assets/app.js", "frontend"],
    ["/apiary", "frontend"],
    ["/internal/tasks/1", undefined],
    ["/internal", undefined],
  ];
  for (const [path, expected] of cases) {
    it(`when the path is ${path}, then it goes to ${expected ?? "nobody (404)"}`, () => {
      assert.equal(routeFor(routes, path), expected);
    });
  }
});
