import assert from "node:assert/strict";
import pg from "pg";
import { createLogger } from "../../shared/src/telemetry/logger";
import { createPool } from "../../shared/src/db/pool";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { PostgresMessageStore, SETTLE_DELAY_MS, type PendingDelivery } from "../src/dapr/pubsub/message-store";
import type { CloudEvent } from "../src/dapr/pubsub/cloud-event";

const sub = (name: string) => ({ name, appId: "consumer", topic: "orders", route: `/events/${name}` });
const deliveriesOf = (i: number): PendingDelivery[] => {
  const event = { id: `evt-${i}`, type: "order.placed", source: "shop", specversion: "1.0", data: { i } } as unknown as CloudEvent;
  return [sub("a"), sub("b")].map((s) => ({ sub: s, event, partitionKey: `k${i % 3}`, streamSeq: i }));
};

describe("local broker: the PostgreSQL message store", () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  const rows = async () => Number((await sql.query("SELECT count(*) AS n FROM dapr_local.pending_deliveries")).rows[0].n);
  before(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  after(async () => {
    await sql.end();
    await stopTestDatabases();
  });

  it("when deliveries are appended, settled in part and the store reopened, then exactly the unsettled ones are pending, oldest first", async () => {
    const store = await PostgresMessageStore.open(db.url, createLogger("test", "silent"));
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(...(await store.append(deliveriesOf(i))));
    assert.equal(ids.length, 10);
    assert.equal(new Set(ids).size, 10, "one row per subscription of each publish");
    for (const id of ids.slice(0, 7)) store.settle(id);
    await store.close(); // settles still queued are written before the pool closes

    const reopened = await PostgresMessageStore.open(db.url, createLogger("test", "silent"));
    const pending = await reopened.pending();
    assert.deepEqual(pending.map((p) => p.id), ids.slice(7));
    assert.deepEqual(pending.map((p) => [p.sub.name, p.event.id, p.partitionKey, p.streamSeq]), [["b", "evt-3", "k0", 3], ["a", "evt-4", "k1", 4], ["b", "evt-4", "k1", 4]]);
    for (const p of pending) reopened.settle(p.id);
    await reopened.close();
    assert.equal(await rows(), 0);
  });

  it("when deliveries settle while the store stays open, then they are deleted within a short delay, in batches", async () => {
    const store = await PostgresMessageStore.open(db.url, createLogger("test", "silent"));
    try {
      const ids = (await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(deliveriesOf(100 + i))))).flat();
      assert.equal(await rows(), 100);
      for (const id of ids) store.settle(id);
      assert.equal(await rows(), 100, "not one DELETE per settle: they wait for the batch");
      await new Promise((r) => setTimeout(r, SETTLE_DELAY_MS * 4 + 200));
      assert.equal(await rows(), 0);
    } finally {
      await store.close();
    }
  });

  it("a pool's session options reach the server (the store commits asynchronously)", async () => {
    const pool = createPool(db.url, 1, { options: "-c synchronous_commit=off" });
    try {
      assert.equal((await pool.query("SHOW synchronous_commit")).rows[0].synchronous_commit, "off");
      assert.equal((await sql.query("SHOW synchronous_commit")).rows[0].synchronous_commit, "on", "other sessions keep the default");
    } finally {
      await pool.end();
    }
  });
});
