import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { interleavedLoad } from "../../scripts/bench/closed-loop-load";

/**
 * The bench's rounds: each target warmed up, then A B A B …, and none starts before `beforeRound` has
 * resolved for it (the bench waits there for the events earlier rounds created).
 */
describe("bench: interleaved rounds wait for a quiet system", () => {
  const servers: Server[] = [];
  const log: string[] = [];
  const target = async (name: string) => {
    const server = createServer((req, res) => {
      log.push(`request ${name}`);
      req.resume();
      req.on("end", () => res.writeHead(201).end("{}"));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, headers: {}, body: () => "{}", expectStatus: 201 };
  };
  after(() => servers.forEach((s) => s.close()));

  it("when rounds alternate, then beforeRound runs before every warm-up and round, and no request of a round is sent before it resolves", async () => {
    const targets = { a: await target("a"), b: await target("b") };
    const results = await interleavedLoad(targets, {
      concurrency: 2,
      totalMsPerTarget: 60,
      rounds: 2,
      warmupMs: 20,
      beforeRound: async (name) => {
        log.push(`quiet ${name}`);
        await new Promise((r) => setTimeout(r, 30));
        log.push(`go ${name}`);
      },
    });
    const phases = log.filter((l, i) => !l.startsWith("request") || !log[i - 1]?.startsWith("request"));
    assert.deepEqual(
      phases.map((l) => l.replace(/^request/, "load")),
      ["quiet a", "go a", "load a", "quiet b", "go b", "load b", "quiet a", "go a", "load a", "quiet b", "go b", "load b", "quiet a", "go a", "load a", "quiet b", "go b", "load b"],
    );
    for (const r of Object.values(results)) {
      assert.equal(r.errors, 0);
      assert.ok(r.count > 0 && r.requestsPerSec > 0);
      assert.ok(r.durationMs >= 60 && r.durationMs < 1000, "the waits are not counted as load time");
    }
  });
});
