import assert from "node:assert/strict";
import type { LocalRuntime } from "#services/local-runtime";
import { databasePool, request, signUp, startQuietRuntime } from "./support/fault-runtime";
import { startRestartablePostgres, type RestartablePostgres } from "./support/restartable-postgres";

/**
 * PostgreSQL stopped and started again while clients keep writing: the backend reports not ready
 * while the database is gone and ready once it is back, and every write it acknowledged is stored.
 */
describe("faults: PostgreSQL restarted under load", function () {
  this.timeout(180_000);
  let postgres: RestartablePostgres;
  let runtime: LocalRuntime;

  before(async () => {
    postgres = await startRestartablePostgres();
    runtime = await startQuietRuntime({ databaseUrl: postgres.url, services: ["backend"] });
  });

  after(async () => {
    await runtime?.stop();
    await postgres?.destroy();
  });

  it("when the database restarts, then /readyz goes 503 then 200 and no acknowledged write is lost", async () => {
    const { token, userId } = await signUp(runtime.url);
    const readyz = async () => (await fetch(`${runtime.serviceUrl("backend")}/readyz`).catch(() => ({ status: 0 }))).status;
    assert.equal(await readyz(), 200);

    const acknowledged: string[] = [];
    const outcomes = new Map<string, number>();
    let writing = true;
    let n = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (writing) {
        const i = n++;
        const res = await request(runtime.url, "POST", "/api/tasks", { token, body: { title: `restart ${i}` } }).catch((err: Error) => ({ status: 0, body: undefined, text: err.message }));
        const key = res.status === 0 ? "network error" : String(res.status);
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (res.status === 201) acknowledged.push(res.body.id as string);
        if (res.status !== 201) await new Promise((r) => setTimeout(r, 20)); // a client backing off a little
      }
    });
    const waitFor = async (status: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await readyz();
        if (s === status) return;
        if (Date.now() > deadline) throw new Error(`backend /readyz stayed ${s}, expected ${status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    await new Promise((r) => setTimeout(r, 1000));
    const beforeOutage = acknowledged.length;
    await postgres.stop();
    await waitFor(503, 15_000);
    await new Promise((r) => setTimeout(r, 1500)); // writes keep arriving while the database is down
    await postgres.start();
    await waitFor(200, 30_000);
    const atRecovery = acknowledged.length;
    await new Promise((r) => setTimeout(r, 1500));
    writing = false;
    await Promise.all(writers);

    console.log(`      writes by outcome: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    assert.ok(beforeOutage > 0, "writes were acknowledged before the outage");
    assert.ok(acknowledged.length > atRecovery, "writes are acknowledged again after the restart");
    assert.ok([...outcomes.keys()].every((k) => k === "201" || k === "503"), `only 201, or 503 while the database is away: ${[...outcomes.keys()]}`);

    const db = databasePool(postgres.url);
    try {
      const stored = await db.query<{ id: string; created: string }>(
        `SELECT t.id, count(o.*) FILTER (WHERE o.type = 'task.created') AS created
           FROM backend.tasks t LEFT JOIN backend.outbox o ON o.task_id = t.id WHERE t.user_id = $1 GROUP BY t.id`,
        [userId],
      );
      const storedIds = new Set(stored.rows.map((r) => r.id));
      assert.deepEqual(
        acknowledged.filter((id) => !storedIds.has(id)),
        [],
        "every acknowledged write is in the database",
      );
      assert.ok(stored.rows.every((r) => Number(r.created) === 1), "each stored task has its task.created outbox row");
    } finally {
      await db.end();
    }
  });
});
