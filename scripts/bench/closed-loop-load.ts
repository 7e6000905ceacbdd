import { Agent, request } from "node:http";
import { summarise, type LatencySummary } from "./latency-stats";

export interface LoadOptions {
  url: string;
  /** Requests in flight at any time (a closed loop: each worker sends the next when the last answered). */
  concurrency: number;
  durationMs: number;
  /** Excluded from the figures: connections open and JIT warms up first. */
  warmupMs: number;
  headers: Record<string, string>;
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

/**
 * A bounded closed-loop HTTP load on loopback with node:http and keep-alive (lighter than fetch, so the
 * generator is not the bottleneck of a fast server). Latency is measured per request with hrtime.
 */
export async function closedLoopLoad(opts: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const target = new URL(opts.url);
  let i = 0;
  const send = (): Promise<{ ok: boolean; ms: number }> =>
    new Promise((resolve) => {
      const body = opts.body(i++);
      const started = process.hrtime.bigint();
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { ...opts.headers, "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ ok: res.statusCode === opts.expectStatus, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
        },
      );
      req.on("error", () => resolve({ ok: false, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      req.end(body);
    });

  const run = async (durationMs: number) => {
    const latencies: number[] = [];
    let errors = 0;
    const started = Date.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (Date.now() < deadline) {
          const r = await send();
          if (r.ok) latencies.push(r.ms);
          else errors++;
        }
      }),
    );
    return { latencies, errors, elapsedMs: Date.now() - started };
  };

  try {
    await run(opts.warmupMs);
    const { latencies, errors, elapsedMs } = await run(opts.durationMs);
    return {
      ...summarise(latencies),
      requestsPerSec: Math.round((latencies.length / elapsedMs) * 1000),
      errors,
      concurrency: opts.concurrency,
      durationMs: elapsedMs,
    };
  } finally {
    agent.destroy();
  }
}
