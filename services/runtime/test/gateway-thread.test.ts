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

  it("when the thread dies, then it is started again on the same port and proxies again", async () => {
    const backend = createServer((_req, res) => res.end("backend"));
    const backendPort = await listen(backend);
    const gateway = await startGatewayThread({ port: 0, host: "127.0.0.1", services: { backend: `http://127.0.0.1:${backendPort}` }, readiness: async () => ({ ready: true, checks: {} }), log });
    try {
      await gateway.crash();
      const deadline = Date.now() + 20_000;
      let answer: string | undefined;
      while (answer === undefined && Date.now() < deadline) {
        answer = await fetch(`${gateway.url}/api/tasks`).then((r) => r.text(), () => undefined);
        if (answer === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(answer, "backend");
      assert.equal(gateway.restarts, 1);
    } finally {
      await gateway.stop();
      backend.close();
    }
  });

  it("when it is stopped with a request in flight, then that request is answered and new connections are refused", async () => {
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const backend = createServer((_req, res) => {
      arrived();
      void released.then(() => res.end("answered late"));
    });
    const backendPort = await listen(backend);
    const gateway = await startGatewayThread({ port: 0, host: "127.0.0.1", services: { backend: `http://127.0.0.1:${backendPort}` }, readiness: async () => ({ ready: true, checks: {} }), log });
    try {
      const slow = fetch(`${gateway.url}/api/tasks`).then((r) => r.text());
      await requestArrived;
      const stopped = gateway.stop();
      // The listener is closed first: a new connection is refused while the slow answer is still owed.
      let refused = false;
      for (let i = 0; i < 100 && !refused; i++) {
        refused = await fetch(`${gateway.url}/healthz`, { headers: { connection: "close" } }).then(() => false, () => true);
        if (!refused) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(refused, "new connections are refused once stopping");
      release();
      assert.equal(await slow, "answered late");
      await stopped;
    } finally {
      release();
      backend.close();
    }
  });
});
