import assert from "node:assert/strict";
import net from "node:net";
import type { LocalRuntime } from "#services/local-runtime";
import { request, signUp, startQuietRuntime } from "./support/fault-runtime";

const SLOW_CLIENTS = 300;

/**
 * Slowloris against the public port of `npm start`: clients that announce a body and send it a byte
 * at a time (or never). The gateway streams a request to its service as it arrives, so each such
 * request holds an upstream connection; with the gateway's upstream pool capped at 256 sockets, 300 of
 * them (no account needed) stalled every other request through the gateway — another user's
 * `GET /api/tasks` timed out after 15 s.
 */
describe("faults: slow clients on the gateway", function () {
  this.timeout(120_000);
  let runtime: LocalRuntime;
  const sockets: net.Socket[] = [];

  before(async () => {
    runtime = await startQuietRuntime({ services: ["backend"] });
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await runtime?.stop();
  });

  it(`when ${SLOW_CLIENTS} clients send request bodies slowly, then another user's requests are still answered at once`, async () => {
    const user = await signUp(runtime.url);
    const { port } = new URL(runtime.url);
    const opened = Array.from({ length: SLOW_CLIENTS }, () => {
      const s = net.connect(Number(port), "127.0.0.1");
      s.on("error", () => undefined);
      sockets.push(s);
      return new Promise<void>((resolve) =>
        s.once("connect", () => {
          s.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"email":');
          resolve();
        }),
      );
    });
    await Promise.all(opened);
    await new Promise((r) => setTimeout(r, 1000)); // every slow request has reached the backend
    assert.equal(sockets.filter((s) => !s.destroyed).length, SLOW_CLIENTS, "the slow clients are all still connected");

    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await Promise.race([
        request(runtime.url, "GET", "/api/tasks", { token: user.token }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("GET /api/tasks got no answer within 5 s")), 5000)),
      ]);
      assert.equal(res.status, 200, res.text);
      assert.ok(performance.now() - t0 < 2000, `answered in ${(performance.now() - t0).toFixed(0)} ms`);
    }
  });
});
