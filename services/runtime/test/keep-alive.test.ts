import assert from "node:assert/strict";
import { Agent, createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "../../shared/src/telemetry/logger";
import { KEEP_ALIVE_TIMEOUT_MS, listen } from "../../shared/src/http/run-service";
import { APP_CHANNEL_IDLE_CONN_TIMEOUT_MS } from "../src/dapr/app-channel";
import { INGRESS_IDLE_CONN_TIMEOUT_MS } from "../src/gateway/gateway";
import { testDapr } from "./support/sidecar-fixture";

/**
 * Who closes an idle keep-alive connection: it must be the client (the Ingress, daprd's app channel, and
 * their stand-ins here), never the service, or a request sent as the service closes fails (a 502 from
 * Traefik for a POST).
 */
describe("keep-alive: the client closes an idle connection before the service does", () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  it("a service keeps idle connections longer than the Ingress and the sidecar's app channel keep theirs (90 s, as Traefik and daprd)", async () => {
    const service = await listen({ port: 0, host: "127.0.0.1", log: createLogger("test", "silent"), handler: (_req, res) => res.end("ok") });
    try {
      assert.equal(service.server.keepAliveTimeout, KEEP_ALIVE_TIMEOUT_MS);
      assert.ok(KEEP_ALIVE_TIMEOUT_MS > INGRESS_IDLE_CONN_TIMEOUT_MS, "longer than the gateway's (Traefik's) idle connections");
      assert.ok(KEEP_ALIVE_TIMEOUT_MS > APP_CHANNEL_IDLE_CONN_TIMEOUT_MS, "longer than the app channel's (daprd's) idle connections");
    } finally {
      await service.stop();
    }
  });

  /** One request over `agent`, then how many free sockets the agent holds after `idleMs`. */
  async function freeSocketsAfter(agent: Agent, idleMs: number): Promise<number> {
    const server = createServer((_req, res) => res.end("ok"));
    server.keepAliveTimeout = 3000; // announced as `Keep-Alive: timeout=3`
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    await new Promise<void>((resolve, reject) => get({ port: (server.address() as AddressInfo).port, host: "127.0.0.1", agent }, (res) => res.resume().on("end", resolve)).on("error", reject));
    await new Promise((r) => setTimeout(r, idleMs));
    return Object.values(agent.freeSockets).flat().length;
  }

  it("a keep-alive agent without a timeout keeps a free socket past the server's hint; with one it closes it first (why both agents have one)", async () => {
    const untimed = new Agent({ keepAlive: true });
    const timed = new Agent({ keepAlive: true, timeout: 200 });
    try {
      const [kept, closed] = await Promise.all([freeSocketsAfter(untimed, 600), freeSocketsAfter(timed, 600)]);
      assert.equal(kept, 1, "Node applies the hint only to an agent with a timeout: this socket waits for the server to close it");
      assert.equal(closed, 0, "the agent closed its idle socket before the server's 3 s");
    } finally {
      untimed.destroy();
      timed.destroy();
    }
  });

  it("an idle connection of an app to its sidecar stays open past Node's 5 s default, as daprd keeps it", async function () {
    this.timeout(20_000);
    const dapr = testDapr();
    const agent = new Agent({ keepAlive: true });
    try {
      const sidecar = await dapr.addApp("probe", "http://127.0.0.1:9");
      const { port } = new URL(sidecar.url);
      await new Promise<void>((resolve, reject) => get({ port, host: "127.0.0.1", path: "/v1.0/healthz/outbound", agent }, (res) => res.resume().on("end", resolve)).on("error", reject));
      await new Promise((r) => setTimeout(r, 6500)); // Node closes idle connections 5 s + up to 1 s after the answer
      assert.equal(Object.values(agent.freeSockets).flat().length, 1, "the sidecar did not close the idle connection");
    } finally {
      agent.destroy();
      await dapr.stop();
    }
  });
});
