import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { TokenService } from "#services/tokens";
import { makeEvent } from "@todo/contracts/envelope";
import type { AppId } from "@todo/contracts/topology";
import type { LocalRuntime } from "#services/local-runtime";
import { serviceProcesses } from "../../scripts/bench/service-processes";
import { databasePool, eventually, request, runBounded, signUp, startQuietRuntime } from "./support/fault-runtime";
import { MALFORMED_CASE_KINDS, malformedCase, type Fixture, type MalformedCase } from "./support/malformed-inputs";
import { SeededRandom, seedFromEnv } from "./support/seeded-random";

const SERVICES: AppId[] = ["backend", "event-processor", "reminder-scheduler", "notification", "websocket"];
const CASES = 2000;

/**
 * 2,000 generated malformed requests and events (wrong types, huge strings, bad JSON, bad RRULEs, bad
 * dates, bad tokens, wrong content types, text PostgreSQL cannot store (NUL, lone surrogates), times
 * outside years 1–9999, edited cursors; events POSTed straight to the services' subscription routes)
 * against every service of the local runtime. Replay a failure with `FAULT_SEED=<seed printed below>`.
 */
describe("faults: malformed requests and events", function () {
  this.timeout(180_000);
  let runtime: LocalRuntime;
  let fixture: Fixture;

  before(async () => {
    runtime = await startQuietRuntime({ services: SERVICES });
    const { token, userId } = await signUp(runtime.url);
    const created = await request(runtime.url, "POST", "/api/tasks", { token, body: { title: "fixture" } });
    assert.equal(created.status, 201);
    const db = databasePool(runtime.databaseUrl, 1);
    const taskEvent = await eventually(
      async () => (await db.query<{ payload: Record<string, unknown> }>("SELECT payload FROM backend.outbox WHERE task_id = $1", [created.body.id])).rows[0]?.payload,
      (p) => p !== undefined,
      10_000,
      "the fixture's task.created event",
    ).finally(() => db.end());
    const base = { source: "fault-test", subject: created.body.id as string, userId, correlationId: "fault-test" };
    const remindAt = new Date(Date.now() + 3600_000).toISOString();
    fixture = {
      token,
      forgedToken: await new TokenService("a-different-secret-of-sufficient-length-0123456789").sign({ id: userId, email: "x@example.com" }),
      userId,
      taskId: created.body.id,
      validTaskEvent: taskEvent,
      validReminderEvent: makeEvent({ ...base, type: "reminder.due", data: { taskId: base.subject, remindAt, title: "fixture", firedAt: remindAt } }) as unknown as Record<string, unknown>,
      validNotificationEvent: makeEvent({
        ...base,
        type: "notification.sent",
        data: { notificationId: randomUUID(), taskId: base.subject, channel: "in-app", title: "fixture", message: "m", createdAt: remindAt },
      }) as unknown as Record<string, unknown>,
    };
  });

  after(async () => {
    await runtime?.stop();
  });

  it(`when ${CASES} malformed inputs arrive, then every answer is a 4xx or a DROP, and every service is still up and ready`, async () => {
    const seed = seedFromEnv();
    console.log(`      seed ${seed} (replay with FAULT_SEED=${seed})`);
    const random = new SeededRandom(seed);
    const cases: MalformedCase[] = Array.from({ length: CASES }, () => malformedCase(random, fixture));
    const pidsBefore = serviceProcesses(SERVICES);
    assert.equal(pidsBefore.length, SERVICES.length, "found every service process");

    const answers = await runBounded(cases.length, 8, async (i) => {
      const c = cases[i]!;
      const base = c.target === "gateway" ? runtime.url : runtime.serviceUrl(c.target)!;
      try {
        const res = await fetch(`${base}${c.path}`, { method: c.method, headers: c.headers, body: c.method === "GET" ? undefined : c.body });
        const text = await res.text();
        let dapr: string | undefined;
        try {
          dapr = (JSON.parse(text) as { status?: string }).status;
        } catch {
          dapr = undefined;
        }
        return { i, status: res.status, dapr, text: text.slice(0, 200) };
      } catch (err) {
        return { i, status: 0, dapr: undefined, text: (err as Error).message };
      }
    });

    const byKind = new Map<string, Record<string, number>>();
    for (const a of answers) {
      const kind = cases[a.i]!.kind;
      const outcome = a.status === 200 && a.dapr ? `200 ${a.dapr}` : String(a.status);
      const counts = byKind.get(kind) ?? {};
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      byKind.set(kind, counts);
    }
    for (const [kind, counts] of [...byKind].sort()) console.log(`      ${kind.padEnd(28)} ${JSON.stringify(counts)}`);

    const acceptable = (a: (typeof answers)[number]) => (a.status >= 400 && a.status < 500) || (cases[a.i]!.isEvent && a.status === 200 && a.dapr === "DROP");
    const bad = answers
      .filter((a) => !acceptable(a))
      .map((a) => `#${a.i} ${cases[a.i]!.kind}: ${cases[a.i]!.method} ${cases[a.i]!.target}${cases[a.i]!.path.slice(0, 80)} ${cases[a.i]!.body?.slice(0, 120) ?? ""} → ${a.status} ${a.text}`);
    assert.deepEqual(bad.slice(0, 8), [], `${bad.length} of ${CASES} inputs were not answered with a 4xx or DROP (seed ${seed})`);
    assert.equal(byKind.size, MALFORMED_CASE_KINDS + 1, "the generator covered every kind of input"); // the default kind has two names

    const ready = await runtime.readiness();
    assert.equal(ready.ready, true, JSON.stringify(ready.checks));
    const pidsAfter = serviceProcesses(SERVICES);
    assert.deepEqual(
      pidsAfter.map((p) => `${p.appId}:${p.pid}`).sort(),
      pidsBefore.map((p) => `${p.appId}:${p.pid}`).sort(),
      "no service crashed or restarted",
    );
    // Still serving real work after the storm.
    assert.equal((await request(runtime.url, "POST", "/api/tasks", { token: fixture.token, body: { title: "after the storm" } })).status, 201);
  });
});
