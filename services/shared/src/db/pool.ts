import pg from "pg";

// Timestamps come back as ISO strings we control, not JS Dates in the server's time zone.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** `options`: server settings for every session of the pool, libpq style (`-c name=value`). */
export function createPool(databaseUrl: string, max = 10, session: { options?: string } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000, ...session });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", () => undefined);
  // Nor may a checked-out one between two queries (inside a transaction, or the outbox relay holding its
  // lock): pg emits "error" on the client, which without a listener ends the process. The pending or
  // next query rejects anyway, and the pool discards the broken client when it is released.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

export function databaseReadiness(pool: pg.Pool): () => Promise<void> {
  return async () => {
    await pool.query("SELECT 1");
  };
}

/** Runs fn in one transaction: COMMIT on success, ROLLBACK on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
