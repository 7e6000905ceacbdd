import { Agent, request } from "node:http";
import { summarise, type LatencySummary } from "./latency-stats";

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  /** Headers worker w adds (index w modulo the length), e.g. one user's token per worker. */
  workerHeaders?: Record<string, string>[];
  /** The body of request i. */
  body: (i: number) => string;
  expectStatus: number;
}

export interface LoadResult extends LatencySummary {
  requestsPerSec: number;
  errors: number;
  concurrency: number;
  durationMs: number;
}

interface Samples {
  latencies: number[];
  errors: number;
  elapsedMs: number;
}

/**
 * A bounded closed loop of POSTs on loopback (each of `concurrency` workers sends the next request when
 * its last one answered), over node:http with keep-alive — lighter than fetch, so the generator is
 * not what limits a fast server. Latency per request from hrtime.
 */
class ClosedLoop {
  readonly #agent: Agent;
  readonly #target: URL;
  #i = 0;

  constructor(
    private readonly t: LoadTarget,
    private readonly concurrency: number,
  ) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    this.#target = new URL(t.url);
  }

  #send(worker: number): Promise<{ ok: boolean; ms: number }> {
    return new Promise((resolve) => {
      const body = this.t.body(this.#i++);
      const started = process.hrtime.bigint();
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
      const req = request(
        { agent: this.#agent, host: this.#target.hostname, port: this.#target.port, path: this.#target.pathname, method: "POST", headers: { ...this.t.headers, ...this.t.workerHeaders?.[worker % this.t.workerHeaders.length], "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ ok: res.statusCode === this.t.expectStatus, ms: elapsed() }));
        },
      );
      req.on("error", () => resolve({ ok: false, ms: elapsed() }));
      req.end(body);
    });
  }

  async run(durationMs: number, into: Samples): Promise<void> {
    const started = Date.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: this.concurrency }, async (_, worker) => {
        while (Date.now() < deadline) {
          const r = await this.#send(worker);
          if (r.ok) into.latencies.push(r.ms);
          else into.errors++;
        }
      }),
    );
    into.elapsedMs += Date.now() - started;
  }

  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Loads several targets in alternating rounds (A B A B …) with the same concurrency and payloads, so a
 * machine whose speed drifts slows them alike and their ratio stays meaningful. Each target is warmed
 * up first. `beforeRound` runs before every warm-up and round: the bench waits there until the work a
 * round left behind (the events of its creates) is done, so no target is measured paying for another's.
 */
export async function interleavedLoad(
  targets: Record<string, LoadTarget>,
  opts: { concurrency: number; totalMsPerTarget: number; rounds: number; warmupMs: number; beforeRound?: (target: string) => Promise<void> },
): Promise<Record<string, LoadResult>> {
  const loops = Object.entries(targets).map(([name, t]) => ({ name, loop: new ClosedLoop(t, opts.concurrency), samples: { latencies: [], errors: 0, elapsedMs: 0 } as Samples }));
  const quiet = opts.beforeRound ?? (async () => undefined);
  try {
    for (const l of loops) {
      await quiet(l.name);
      await l.loop.run(opts.warmupMs, { latencies: [], errors: 0, elapsedMs: 0 });
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (const l of loops) {
        await quiet(l.name);
        await l.loop.run(opts.totalMsPerTarget / opts.rounds, l.samples);
      }
    }
    return Object.fromEntries(
      loops.map(({ name, samples }) => [
        name,
        {
          ...summarise(samples.latencies),
          requestsPerSec: Math.round((samples.latencies.length / samples.elapsedMs) * 1000),
          errors: samples.errors,
          concurrency: opts.concurrency,
          durationMs: samples.elapsedMs,
        },
      ]),
    );
  } finally {
    for (const l of loops) l.loop.close();
  }
}
