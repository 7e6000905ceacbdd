import type pg from "pg";
import { publishEvent } from "../../../shared/src/dapr/publisher";
import type { SidecarAddress } from "../../../shared/src/dapr/sidecar";
import type { AnyEvent } from "@todo/contracts/events";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { outboxOldestUnsentAge, outboxUnsent } from "../../../shared/src/telemetry/outbox-metrics";
import { deleteOldTombstones } from "../data/change-feed";
import { deleteExpiredKeys } from "../data/idempotency-keys";
import { backlog, deleteSentBefore, markFailed, markSent, unsentRows } from "../data/outbox";

export interface RelayOptions {
  pool: pg.Pool;
  sidecar: SidecarAddress;
  log: Logger;
  /** Poll for rows other replicas wrote (own writes kick the relay at once). */
  pollMs: number;
  retentionHours: number;
  /** Publishing a single event longer than this counts as a failure. */
  publishTimeoutMs?: number;
  /** Publishes one event; tests swap it. Defaults to publishEvent through the sidecar. */
  publish?: (event: AnyEvent) => Promise<void>;
}

// One lock across all replicas: only one relay publishes at a time, so the events of a task leave in
// the order they were written. (Key: "todo-outbox" as a 64-bit number.)
const RELAY_LOCK_KEY = 0x746f646f_6f7574n;
const BATCH = 100;
const BACKOFF_START_MS = 100;
const BACKOFF_MAX_MS = 5_000;
const CLEANUP_EVERY_MS = 10 * 60_000;
const MAINTAIN_EVERY_MS = 1000;

/**
 * Transactional outbox relay: publishes unsent rows in insertion order, marks each sent, and stops at
 * the first failure so nothing overtakes it; then retries with exponential backoff (capped at 5 s)
 * until the sidecar/broker is back. Rows persist, so a restarted backend resumes where it stopped.
 * Delivery is at least once (a crash between publish and mark re-publishes); consumers dedupe by id.
 */
export class OutboxRelay {
  private readonly publish: (event: AnyEvent) => Promise<void>;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private failures = 0;
  private retryAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastCleanup = 0;
  private lastMaintain = 0;

  constructor(private readonly opts: RelayOptions) {
    const timeoutMs = opts.publishTimeoutMs ?? 5_000;
    this.publish = opts.publish ?? ((e) => publishEvent(opts.sidecar, e, timeoutMs));
  }

  start(): void {
    this.stopped = false;
    this.lastCleanup = Date.now();
    this.kick();
  }

  /** Run a pass now (after a commit). While backing off after a failure, the backoff timer decides. */
  kick(): void {
    if (this.stopped || Date.now() < this.retryAt) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Finishes the in-flight publish, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      const outcome = await this.pass().catch((err: unknown) => {
        this.opts.log.warn({ err: errorText(err) }, "outbox relay pass failed");
        return "failed" as const;
      });
      if (outcome === "failed") {
        this.failures++;
        const delay = Math.min(BACKOFF_START_MS * 2 ** (this.failures - 1), BACKOFF_MAX_MS);
        this.retryAt = Date.now() + delay;
        this.schedule(delay);
        return;
      }
      this.failures = 0;
      this.retryAt = 0;
      // another replica holds the lock: it may have looked before our rows committed, so look again soon
      if (outcome === "busy") {
        this.schedule(Math.min(50, this.opts.pollMs));
        return;
      }
    } while (this.again && !this.stopped);
    this.schedule(this.opts.pollMs);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retryAt = 0;
      this.kick();
    }, ms);
  }

  private async pass(): Promise<"done" | "busy" | "failed"> {
    const client = await this.opts.pool.connect();
    let locked = false;
    try {
      locked = (await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [RELAY_LOCK_KEY.toString()])).rows[0]!.ok;
      if (!locked) return "busy";
      const outcome = await this.publishPending(client);
      await this.maintain(client).catch((err: unknown) => this.opts.log.warn({ err: errorText(err) }, "outbox maintenance failed"));
      return outcome;
    } finally {
      if (locked) await client.query("SELECT pg_advisory_unlock($1)", [RELAY_LOCK_KEY.toString()]).catch(() => undefined);
      client.release();
    }
  }

  private async publishPending(client: pg.PoolClient): Promise<"done" | "failed"> {
    for (;;) {
      const rows = await unsentRows(client, BATCH);
      // Published rows are marked sent together at the end of the batch, or at the first failure or
      // stop; a crash before that re-publishes them (at least once, as before; consumers dedupe).
      const published: number[] = [];
      try {
        for (const row of rows) {
          if (this.stopped) return "done";
          try {
            await this.publish(row.payload);
          } catch (err) {
            await markFailed(client, row.seq, errorText(err));
            if (this.failures === 0) this.opts.log.warn({ err: errorText(err), eventId: row.payload.id }, "outbox publish failed; retrying with backoff");
            return "failed";
          }
          published.push(row.seq);
        }
      } finally {
        await markSent(client, published);
      }
      if (rows.length < BATCH) return "done";
    }
  }

  private async maintain(client: pg.PoolClient) {
    // The backlog gauge costs a query; under a stream of writes once a second is enough.
    if (Date.now() - this.lastMaintain < MAINTAIN_EVERY_MS) return;
    this.lastMaintain = Date.now();
    const { unsent, oldestAgeSeconds } = await backlog(client);
    outboxUnsent.set(unsent);
    outboxOldestUnsentAge.set(oldestAgeSeconds);
    if (Date.now() - this.lastCleanup > CLEANUP_EVERY_MS) {
      this.lastCleanup = Date.now();
      await deleteSentBefore(client, new Date(Date.now() - this.opts.retentionHours * 3600_000));
      await deleteExpiredKeys(client);
      await deleteOldTombstones(client, new Date());
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
