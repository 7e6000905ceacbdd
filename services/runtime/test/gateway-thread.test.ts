import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "../../shared/src/telemetry/logger";
import { startGatewayThread } from "../src/gateway/gateway-thread";
import type { ReadinessReport } from "../src/gateway/readiness";

const log = createLogger("runtime-test", "silent");

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

describe("the gateway on its own thread", () => {
  it("when /readyz is asked, then the report comes from the runtime's thread, and the backend route reaches the service", async () => {
    const backend = createServer((req, res) => res.end(`backend saw ${req.url} from ${req.headers["x-forwarded-for"]}`));
    const backendPort = await listen(backend);
    let report: ReadinessReport = { ready: false, checks: { database: "ECONNREFUSED" } };
    const gateway = await startGatewayThread({ port: 0, host: "127.0.0.1", services: { backend: `http://127.0.0.1:${backendPort}` }, readiness: async () => report, log });
    try {
      const notReady = await fetch(`${gateway.url}/readyz`);
      assert.equal(notReady.status, 503);
      assert.deepEqual(((await notReady.json()) as { checks: unknown }).checks, { database: "ECONNREFUSED" });
      report = { ready: true, checks: { database: "ok" } };
      assert.equal((await fetch(`${gateway.url}/readyz`)).status, 200);
      const proxied = await fetch(`${gateway.url}/api/tasks`, { headers: { "x-forwarded-for": "203.0.113.9" } });
      assert.equal(await proxied.text(), "backend saw /api/tasks from 127.0.0.1");
    } finally {
      await gateway.stop();
      backend.close();
    }
    await assert.rejects(fetch(`${gateway.url}/healthz`), "nothing listens after stop");
  });

  it("when the public port is taken, then starting rejects with EADDRINUSE", async () => {
    const taken = createServer();
    const port = await listen(taken);
    try {
      await assert.rejects(startGatewayThread({ port, host: "127.0.0.1", services: {}, readiness: async () => ({ ready: true, checks: {} }), log }), { code: "EADDRINUSE" });
    } finally {
      taken.close();
    }
  });
});
