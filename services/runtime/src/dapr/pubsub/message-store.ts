import type pg from "pg";
import { preparedStatement } from "../../../../shared/src/db/prepared-statement";
import { createPool } from "../../../../shared/src/db/pool";
import type { Logger } from "../../../../shared/src/telemetry/logger";
import type { CloudEvent } from "./cloud-event";
import type { BrokerSubscription } from "./pubsub-definitions";

/** One pending delivery: an event for one subscription, not yet delivered, dead-lettered or dropped. */
export interface PendingDelivery {
  sub: BrokerSubscription;
  event: CloudEvent;
  partitionKey: string | undefined;
  streamSeq: number;
}

export interface StoredDelivery extends PendingDelivery {
  id: number;
}

/**
 * Where the local broker keeps what it accepted until it is settled — the part of a Redis stream plus
 * consumer group's pending list the runtime needs to survive a crash. `append` resolves once the
 * deliveries are durable (publish answers 204 only then, as Redis' XADD); `settle` forgets one.
 */
export interface MessageStore {
  append(deliveries: PendingDelivery[]): Promise<number[]>;
  settle(id: number): void;
  /** Everything not settled, oldest first (read once at start). */
  pending(): Promise<StoredDelivery[]>;
  close(): Promise<void>;
}

/** In memory: what the unit tests use; a stop loses what was pending. */
export class MemoryMessageStore implements MessageStore {
  #next = 1;
  async append(deliveries: PendingDelivery[]): Promise<number[]> {
    return deliveries.map(() => this.#next++);
  }
  settle(): void {}
  async pending(): Promise<StoredDelivery[]> {
    return [];
  }
  async close(): Promise<void> {}
}

const SCHEMA = "dapr_local";
const SETTLE_DELIVERIES = preparedStatement("dapr-local-settle-deliveries", `DELETE FROM ${SCHEMA}.pending_deliveries WHERE id = ANY($1::bigint[])`);
const APPEND_DELIVERIES = preparedStatement(
  "dapr-local-append-deliveries",
  `INSERT INTO ${SCHEMA}.pending_deliveries (subscription, event, partition_key, stream_seq)
   SELECT * FROM unnest($1::jsonb[], $2::jsonb[], $3::text[], $4::bigint[]) RETURNING id, subscription->>'name' AS name`,
);

/** Settled ids wait at most this long, or until this many are queued, and then go in one DELETE. */
export const SETTLE_DELAY_MS = 25;
export const SETTLE_BATCH = 512;

/**
 * In the runtime's PostgreSQL, in a schema of its own (`dapr_local`, which no service touches): a
 * `kill -9` of `npm start` loses nothing the sidecar accepted — the next start delivers it. Settling
 * is a DELETE, batched and retried in the background; a crash before it redelivers the event, which the
 * consumers' idempotency absorbs (Dapr is at-least-once too).
 *
 * Its sessions commit asynchronously (`synchronous_commit = off`): a commit returns before its WAL is
 * flushed, saving an fsync per publish. That loses no accepted event. Every publisher of this system
 * records its publish after the 204 in a synchronous commit of this same PostgreSQL (the outbox relay
 * marks rows sent, the reminder scheduler marks a reminder fired, notification marks one published), and
 * flushing that commit flushes all the WAL before it, the append included. So a crash loses at most
 * appends whose publisher had not recorded them: those are published again, as after a lost 204.
 */
export class PostgresMessageStore implements MessageStore {
  readonly #pool: pg.Pool;
  #settleQueue: number[] = [];
  #flushing: Promise<void> | undefined;
  #settleTimer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    databaseUrl: string,
    private readonly log: Logger,
  ) {
    this.#pool = createPool(databaseUrl, 4, { options: "-c synchronous_commit=off" });
  }

  static async open(databaseUrl: string, log: Logger): Promise<PostgresMessageStore> {
    const store = new PostgresMessageStore(databaseUrl, log);
    await store.#pool.query(`
      CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.pending_deliveries (
        id bigserial PRIMARY KEY,
        subscription jsonb NOT NULL,
        event jsonb NOT NULL,
        partition_key text,
        stream_seq bigint NOT NULL,
        accepted_at timestamptz NOT NULL DEFAULT now()
      );`);
    return store;
  }

  async append(deliveries: PendingDelivery[]): Promise<number[]> {
    if (deliveries.length === 0) return [];
    // One publish makes one delivery per subscription: the subscription name maps rows back to ids.
    const res = await this.#pool.query<{ id: number; name: string }>(
      APPEND_DELIVERIES([deliveries.map((d) => JSON.stringify(d.sub)), deliveries.map((d) => JSON.stringify(d.event)), deliveries.map((d) => d.partitionKey ?? null), deliveries.map((d) => d.streamSeq)]),
    );
    const byName = new Map(res.rows.map((r) => [r.name, Number(r.id)]));
    return deliveries.map((d) => byName.get(d.sub.name)!);
  }

  settle(id: number): void {
    this.#settleQueue.push(id);
    if (this.#flushing || this.#closed) return;
    if (this.#settleQueue.length >= SETTLE_BATCH) this.#startFlush();
    else this.#settleTimer ??= setTimeout(() => this.#startFlush(), SETTLE_DELAY_MS);
  }

  #startFlush(): void {
    clearTimeout(this.#settleTimer);
    this.#settleTimer = undefined;
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
      // settled while that DELETE ran: the next batch, after the same delay
      if (this.#settleQueue.length > 0 && !this.#closed) this.#settleTimer = setTimeout(() => this.#startFlush(), SETTLE_DELAY_MS);
    });
  }

  async pending(): Promise<StoredDelivery[]> {
    const res = await this.#pool.query<{ id: number; subscription: BrokerSubscription; event: CloudEvent; partition_key: string | null; stream_seq: number }>(
      `SELECT id, subscription, event, partition_key, stream_seq FROM ${SCHEMA}.pending_deliveries ORDER BY id`,
    );
    return res.rows.map((r) => ({ id: Number(r.id), sub: r.subscription, event: r.event, partitionKey: r.partition_key ?? undefined, streamSeq: Number(r.stream_seq) }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#settleTimer);
    await this.#flushing;
    if (this.#settleQueue.length > 0) await this.#flush(1).catch(() => undefined);
    await this.#pool.end();
  }

  /** One DELETE of everything queued, retried every second until it succeeds (or `maxRounds`). */
  async #flush(maxRounds = Infinity): Promise<void> {
    let failures = 0;
    for (let round = 0; this.#settleQueue.length > 0 && round < maxRounds; round++) {
      const ids = this.#settleQueue;
      this.#settleQueue = [];
      try {
        await this.#pool.query(SETTLE_DELIVERIES([ids]));
        return;
      } catch (err) {
        this.#settleQueue.unshift(...ids);
        if (this.#closed) throw err;
        // Once per outage, not once a second.
        if (failures++ === 0) this.log.warn({ err: err instanceof Error ? err.message : String(err), pending: this.#settleQueue.length }, "could not settle deliveries; retrying every second");
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
