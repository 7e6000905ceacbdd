import pg from "pg";

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

export type ReadinessCheck = () => Promise<void>;

export function databaseCheck(url: string): ReadinessCheck {
  return async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}

/** An HTTP endpoint that must answer 2xx. */
export function httpCheck(url: () => string | undefined): ReadinessCheck {
  return async () => {
    const target = url();
    if (!target) throw new Error("not running");
    const res = await fetch(target, { signal: AbortSignal.timeout(3000) });
    if (res.status >= 300) throw new Error(`HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  };
}

export async function runChecks(checks: Record<string, ReadinessCheck>): Promise<ReadinessReport> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await check();
        return [name, "ok"] as const;
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code;
        return [name, cause ?? (err instanceof Error ? err.message : String(err))] as const;
      }
    }),
  );
  return { ready: results.every(([, r]) => r === "ok"), checks: Object.fromEntries(results) };
}
