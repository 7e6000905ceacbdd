import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { ephemeralRange, pickRange, reservePorts } from "../src/ports";

const listenOn = (port: number) => new Promise<Server>((resolve, reject) => {
  const srv = createServer();
  srv.once("error", reject);
  srv.listen(port, "127.0.0.1", () => resolve(srv));
});
const close = (srv: Server) => new Promise<void>((r) => srv.close(() => r()));

describe("local runtime ports", () => {
  it("when the kernel's ephemeral range is read, then Linux's numbers are used and anything else falls back to IANA's", () => {
    assert.deepEqual(ephemeralRange(() => "32768\t60999\n"), [32768, 60999]);
    assert.deepEqual(ephemeralRange(() => "garbage"), [49152, 65535]);
    assert.deepEqual(ephemeralRange(() => { throw new Error("ENOENT"); }), [49152, 65535]);
    assert.deepEqual(pickRange([32768, 60999]), [10000, 32767]);
    assert.equal(pickRange([10500, 60999]), undefined, "too few ports below the range: the OS chooses");
  });

  it("when ports are reserved, then they are distinct, below the ephemeral range, and free for the caller", async () => {
    const [low] = ephemeralRange();
    const ports = await reservePorts(25);
    assert.equal(new Set(ports).size, 25);
    if (pickRange(ephemeralRange())) assert.ok(ports.every((p) => p >= 10000 && p < low), ports.join());
    const servers = await Promise.all(ports.map(listenOn));
    await Promise.all(servers.map(close));
  });

  it("when a candidate is taken, then it is skipped, and the same candidate twice is held once", async () => {
    const taken = await listenOn((await reservePorts(1))[0]!);
    const takenPort = (taken.address() as { port: number }).port;
    try {
      const range = pickRange(ephemeralRange());
      if (!range) return;
      const at = (port: number) => (port - range[0]) / (range[1] - range[0] + 1) + 1e-9;
      const free = (await reservePorts(1))[0]!;
      const sequence = [at(takenPort), at(free), at(free), at(free === range[1] ? free - 1 : free + 1)];
      const ports = await reservePorts(2, () => sequence.shift() ?? Math.random());
      assert.ok(!ports.includes(takenPort), `a taken port was handed out: ${ports.join()}`);
      assert.equal(ports[0], free);
      assert.equal(new Set(ports).size, 2);
    } finally {
      await close(taken);
    }
  });
});
