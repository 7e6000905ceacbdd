import assert from "node:assert/strict";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { createLogger } from "../../shared/src/telemetry/logger";
import { createPool } from "../../shared/src/db/pool";
import { makeEvent } from "@todo/contracts/envelope";
import { type AnyEvent } from "@todo/contracts/events";
import { migrate } from "../../shared/src/db/migrate";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { appendToOutbox } from "../src/data/outbox";
import { OutboxRelay } from "../src/outbox/relay";
import { until } from "./backend-harness";

const userId = randomUUID();
const event = (taskId: string, n: number): AnyEvent =>
  makeEvent({ type: "reminder.cancelled", source: "backend", subject: taskId, userId, correlationId: `c-${n}`, data: { taskId, reason: "cleared" } });

describe("backend outbox relay (unit, real PostgreSQL)", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const log = createLogger("backend-test", "silent");
  const sidecar = { DAPR_HOST: "127.0.0.1", DAPR_HTTP_PORT: 9 };

  before(async () => {
    db = await createTestDatabase();
    await migrate({ databaseUrl: db.url, dir: join(__dirname, "../src/migrations"), schema: "backend" });
    pool = createPool(db.url, 4);
  });
  after(async () => {
    await pool?.end();
    await db?.stop();
    await stopTestDatabases();
  });
  beforeEach(async () => {
    await pool.query("TRUNCATE backend.outbox");
  });

  const unsent = async () => (await pool.query("SELECT count(*)::int AS n FROM backend.outbox WHERE sent_at IS NULL")).rows[0].n as number;

  it("when a publish fails, then nothing after it is attempted until it succeeds, and order is kept", async () => {
    const task = randomUUID();
    const events = [1, 2, 3, 4].map((n) => event(task, n));
    await appendToOutbox(pool, events);
    const attempts: string[] = [];
    let failuresLeft = 3;
    const relay = new OutboxRelay({
      pool, sidecar, log, pollMs: 50, retentionHours: 1,
      publish: async (e) => {
        attempts.push(e.correlationId);
        if (e.correlationId === "c-2" && failuresLeft-- > 0) throw new Error("broker down");
      },
    });
    relay.start();
    try {
      await until("all sent", async () => (await unsent()) === 0);
    } finally {
      await relay.stop();
    }
    assert.deepEqual(attempts, ["c-1", "c-2", "c-2", "c-2", "c-2", "c-3", "c-4"]);
    const { rows } = await pool.query("SELECT attempts, last_error FROM backend.outbox ORDER BY seq");
    assert.deepEqual(rows.map((r) => r.attempts), [1, 4, 1, 1]);
    assert.ok(rows.every((r) => r.last_error === null));
  });

  it("when the relay is stopped mid-publish, then that publish finishes and is marked sent, and the rest wait", async () => {
    const task = randomUUID();
    await appendToOutbox(pool, [1, 2, 3].map((n) => event(task, n)));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const relay = new OutboxRelay({
      pool, sidecar, log, pollMs: 50, retentionHours: 1,
      publish: async () => {
        started++;
        await gate;
      },
    });
    relay.start();
    await until("the first publish in flight", () => started === 1);
    const stopped = relay.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(done, false, "stop waits for the in-flight publish");
    release();
    await stopped;
    assert.equal(started, 1);
    assert.equal(await unsent(), 2);
  });

  it("when two relays run on one database, then only one publishes at a time and every event goes out once in order", async () => {
    const tasks = [randomUUID(), randomUUID()];
    const events = Array.from({ length: 40 }, (_, n) => event(tasks[n % 2]!, n));
    await appendToOutbox(pool, events);
    const published: string[] = [];
    let inFlight = 0;
    let overlap = false;
    const publish = async (e: AnyEvent) => {
      if (++inFlight > 1) overlap = true;
      await new Promise((r) => setImmediate(r));
      published.push(e.id);
      inFlight--;
    };
    const relays = [1, 2].map(() => new OutboxRelay({ pool, sidecar, log, pollMs: 20, retentionHours: 1, publish }));
    relays.forEach((r) => r.start());
    try {
      await until("all sent", async () => (await unsent()) === 0);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
    assert.equal(overlap, false);
    assert.deepEqual(published, events.map((e) => e.id));
  });
});
