import { randomUUID } from "node:crypto";

/** A JSON call to the public API; throws on an unexpected status so a broken run never reports figures. */
export async function api<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, expect: number, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(opts.body !== undefined ? { "content-type": "application/json" } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  }).catch((err: Error & { cause?: { code?: string; message?: string } }) => {
    // undici says only "fetch failed"; the reason (ECONNRESET, ECONNREFUSED, …) is in its cause
    throw new Error(`${method} ${path}: ${err.message} (${err.cause?.code ?? err.cause?.message ?? "no cause"})`);
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${path}: HTTP ${res.status} (expected ${expect}) ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function signUpBenchUser(baseUrl: string): Promise<string> {
  const body = await api<{ token: string }>(baseUrl, "POST", "/api/auth/signup", 201, { body: { email: `bench-${randomUUID()}@example.com`, password: "a-long-enough-passphrase-42" } });
  return body.token;
}

/** Runs `count` jobs, at most `concurrency` at once. */
export async function bounded(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(count, concurrency) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}
