import { randomUUID } from "node:crypto";
import { createPool } from "#services/db-pool";
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "#services/local-runtime";
import { signOperatorToken } from "#services/operator-token";
import { request } from "#services/testing/json-request";

export { request, type ApiResponse } from "#services/testing/json-request";

export type Pool = ReturnType<typeof createPool>;

/** The local runtime as a fault test runs it: quiet, on any free port, waiting for readiness. */
export function startQuietRuntime(opts: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> {
  // Fault suites drive their load (1,000 writes, 2,000 malformed inputs) as one user, which the per-user
  // write limits would turn into 429s; the suite about that limit (write-flood) sets its own.
  const env = { TASK_WRITES_PER_MINUTE: "10000000", TASK_WRITES_WAITING_PER_USER: "10000", ...opts.env };
  return startLocalRuntime({ port: 0, output: "silent", logLevel: "warn", readyTimeoutMs: 150_000, ...opts, env });
}

/** Signs up a fresh user and returns its token and id. */
export async function signUp(baseUrl: string): Promise<{ token: string; userId: string }> {
  const res = await request(baseUrl, "POST", "/api/auth/signup", { body: { email: `fault-${randomUUID()}@example.com`, password: "a-long-enough-passphrase-42" } });
  if (res.status !== 201) throw new Error(`signup: HTTP ${res.status} ${res.text}`);
  return { token: res.body.token as string, userId: res.body.user.id as string };
}

/** Runs `count` jobs with at most `concurrency` at once; returns their results in order. */
export async function runBounded<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await job(i);
      }
    }),
  );
  return results;
}

/** Polls until `check` holds; the error names what was awaited and the last value seen. */
export async function eventually<T>(read: () => Promise<T>, holds: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!holds(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** A pool on the runtime's database (the services' tables live in schemas named after them). */
export function databasePool(databaseUrl: string, max = 4): Pool {
  return createPool(databaseUrl, max);
}

/** Reads one counter (summed over the label sets that match) from a Prometheus text exposition. */
export function counterValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (matches) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

/** An operator token for the event-processor's dead-letter routes, from the runtime's JWT secret. */
export async function operatorHeaders(runtime: LocalRuntime): Promise<Record<string, string>> {
  const secret = runtime.dapr.secrets.read("jwt-secret");
  if (!secret.found) throw new Error("the runtime has no JWT secret");
  return { authorization: `Bearer ${await signOperatorToken(secret.value)}` };
}
