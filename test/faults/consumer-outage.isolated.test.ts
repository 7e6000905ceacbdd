import assert from "node:assert/strict";
import type { AppId } from "@todo/contracts/topology";
import type { LocalRuntime } from "#services/local-runtime";
import { databasePool, eventually, request, runBounded, signUp, startQuietRuntime, type Pool } from "./support/fault-runtime";
import { startRestartablePostgres, type RestartablePostgres } from "./support/restartable-postgres";
import { beforeResources } from "#services/testing/before-policies";

/**
 * Issue 14: nothing is lost under daprd's real semantics (the local runtime now retries, dead-letters
 * and pauses as daprd 1.18 does, with the deployed policies). Two outages under the same load of 500
 * recurring tasks with a reminder each, written and completed:
 * - the consumers (event-processor, notification) stopped for 60 s;
 * - PostgreSQL stopped for 20 s.
 * Afterwards every audit entry, next occurrence and notification exists exactly once and nothing was
 * dead-lettered. Under the policies deployed before (no app health check, 5 retries in ~7 s, breakers:
 * run with FAULT_POLICY=before), the sidecar dead-letters what arrives while a consumer is away.
 */
describe("faults: consumers and database away under daprd semantics", function () {
  this.timeout(600_000);
  const TASKS = 500;
  let postgres: RestartablePostgres;
  let runtime: LocalRuntime;
  let db: Pool;

  before(async () => {
    postgres = await startRestartablePostgres();
    runtime = await startQuietRuntime({
      databaseUrl: postgres.url,
      services: ["backend", "event-processor", "reminder-scheduler", "notification"],
      // FAULT_POLICY=before: the same load under the policies deployed before issue 14 (it fails).
      ...(process.env.FAULT_POLICY === "before" ? { dapr: { resources: beforeResources(), appHealth: null } } : {}),
    });
    db = databasePool(postgres.url);
  });

  after(async () => {
    await db?.end();
    await runtime?.stop();
    await postgres?.destroy();
  });

  const scalar = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0]!.n);
  /** For polling: -1 while the database is away (the outage test polls through it). */
  const poll = (sql: string, params: unknown[] = []) => () => scalar(sql, params).catch(() => -1);

  /**
   * Writes TASKS recurring tasks with a reminder a few seconds ahead, waits until every reminder has
   * fired (completing a task first would cancel it), then completes them all. A 503 (database away)
   * or a refused connection is retried like a client would.
   */
  async function writeAndComplete(token: string, during?: (done: number) => Promise<void> | void): Promise<string[]> {
    const ids: string[] = [];
    const until2xx = async (method: string, path: string, body: unknown) => {
      for (;;) {
        const res = await request(runtime.url, method, path, { token, body }).catch(() => ({ status: 0, body: undefined }));
        if (res.status === 200 || res.status === 201) return res.body;
        if (res.status !== 503 && res.status !== 0) throw new Error(`${method} ${path}: HTTP ${res.status}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    let done = 0;
    const remindAt = new Date(Date.now() + 8_000).toISOString();
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    await runBounded(TASKS, 12, async (i) => {
      const task = await until2xx("POST", "/api/tasks", { title: `outage ${i}`, dueAt, remindAt, recurrence: "FREQ=DAILY" });
      ids.push(task.id);
      await during?.(++done);
    });
    // Counted in the reminder-scheduler's own table: a job can also fire twice (the sweep re-arms it).
    await eventually(poll("SELECT count(*) AS n FROM reminder_scheduler.reminders WHERE task_id = ANY($1::uuid[]) AND state = 'fired'", [ids]), (n) => n === TASKS, 180_000, "every reminder fired");
    await runBounded(TASKS, 12, async (i) => {
      await until2xx("POST", `/api/tasks/${ids[i]}/complete`, undefined);
      await during?.(++done);
    });
    return ids;
  }

  /** Every effect exactly once, nothing dead-lettered. */
  async function assertEveryEffectOnce(userId: string, ids: string[]): Promise<void> {
    const outboxOfUser = "SELECT o.event_id FROM backend.outbox o JOIN backend.tasks t ON t.id = o.task_id WHERE t.user_id = $1 AND o.type LIKE 'task.%'";
    // Next occurrences are created by the event-processor (invocation of the backend), so they come first.
    await eventually(() => scalar("SELECT count(*) AS n FROM backend.tasks WHERE parent_task_id = ANY($1::uuid[])", [ids]), (n) => n === TASKS, 240_000, "one next occurrence per completed task");
    const counts = async () => [await scalar(`SELECT count(*) AS n FROM (${outboxOfUser}) e`, [userId]), await scalar(`SELECT count(*) AS n FROM event_processor.audit_events WHERE event_id IN (${outboxOfUser})`, [userId])];
    const [expectedAudits] = await eventually(counts, ([events, audits]) => events! >= TASKS * 3 && audits === events, 240_000, "one audit entry per task event (created, completed, next occurrence created)");
    await eventually(() => scalar("SELECT count(*) AS n FROM notification.notifications WHERE task_id = ANY($1::uuid[])", [ids]), (n) => n === TASKS, 240_000, "one notification per reminder");
    await runtime.dapr.idle();
    assert.equal(await scalar(`SELECT count(*) AS n FROM event_processor.audit_events WHERE event_id IN (${outboxOfUser})`, [userId]), expectedAudits, "no audit entry twice");
    const perTask = await db.query<{ n: string }>("SELECT count(*) AS n FROM backend.tasks WHERE parent_task_id = ANY($1::uuid[]) GROUP BY parent_task_id HAVING count(*) > 1", [ids]);
    assert.equal(perTask.rows.length, 0, "no task has two next occurrences");
    assert.equal(await scalar("SELECT count(*) AS n FROM notification.notifications WHERE task_id = ANY($1::uuid[])", [ids]), TASKS, "no notification twice");
    assert.deepEqual(runtime.dapr.deadLetters.map((d) => `${d.subscription}: ${d.reason}`), [], "nothing dead-lettered");
    assert.equal(await scalar("SELECT count(*) AS n FROM event_processor.dead_letters"), 0, "nothing in the dead-letter store");
  }

  it("when the consumers are stopped for 60 s while 500 tasks are written and completed, then every effect exists exactly once after they start", async () => {
    const { token, userId } = await signUp(runtime.url);
    const consumers: AppId[] = ["event-processor", "notification"];
    const stoppedAt = Date.now();
    await Promise.all(consumers.map((id) => runtime.stopService(id)));
    const ids = await writeAndComplete(token);
    await new Promise((r) => setTimeout(r, Math.max(0, 60_000 - (Date.now() - stoppedAt))));
    for (const id of consumers) runtime.startService(id);
    await assertEveryEffectOnce(userId, ids);
  });

  it("when PostgreSQL is away for 20 s during the same load, then every effect exists exactly once after it is back", async () => {
    const { token, userId } = await signUp(runtime.url);
    let outage: Promise<void> | undefined;
    const ids = await writeAndComplete(token, (done) => {
      if (done === Math.floor(TASKS / 2) && !outage) {
        outage = (async () => {
          await postgres.stop();
          await new Promise((r) => setTimeout(r, 20_000));
          await postgres.start();
        })();
      }
    });
    await outage;
    await assertEveryEffectOnce(userId, ids);
  });
});
