import { createPool } from "#services/db-pool";

/**
 * Waits until the backend's outbox has no unsent row, and reports how long that took and how many rows
 * were waiting: after a burst of writes, this is the relay's publishing throughput.
 */
export async function waitForOutboxDrained(databaseUrl: string, timeoutMs: number): Promise<{ backlog: number; drainMs: number; eventsPerSec: number | null }> {
  const pool = createPool(databaseUrl, 1);
  try {
    const unsent = async () => Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM backend.outbox WHERE sent_at IS NULL")).rows[0]!.n);
    const backlog = await unsent();
    const started = Date.now();
    while ((await unsent()) > 0) {
      if (Date.now() - started > timeoutMs) throw new Error(`outbox not drained after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const drainMs = Date.now() - started;
    return { backlog, drainMs, eventsPerSec: backlog > 0 && drainMs > 0 ? Math.round((backlog / drainMs) * 1000) : null };
  } finally {
    await pool.end();
  }
}
