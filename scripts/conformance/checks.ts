// Checks against the conformance stack (run-stack.ts) that the smoke journey does not cover, each a
// behaviour the local runtime emulates and real daprd must show too:
//   dead letter  — a DROPped event reaches the dead-letter topic and the operator's list
//   invocation   — a 404 through service invocation stays 404 however often (no retry, no breaker)
//   jobs         — the Jobs API takes our failurePolicy
// Exit 1 with the failing check's message.
import { randomUUID } from "node:crypto";
import { signOperatorToken } from "#services/operator-token";
import { JOB_FAILURE_POLICY } from "@todo/contracts/dapr-resources";
import { app, apps, topics } from "@todo/contracts/topology";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const jwtSecret = process.env.JWT_SECRET ?? "conformance-jwt-secret-of-at-least-32-chars";
const sidecarPort = (id: string) => 3500 + apps.filter((a) => a.dapr).findIndex((a) => a.id === id);

async function eventually<T>(what: string, read: () => Promise<T>, holds: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (holds(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms (last: ${JSON.stringify(v).slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const checks: Record<string, () => Promise<string>> = {
  "dead letter": async () => {
    const id = `conformance-${randomUUID()}`;
    const event = { specversion: "1.0", id, type: "task.updated", source: "conformance", subject: randomUUID(), time: new Date().toISOString(), datacontenttype: "application/json", data: { not: "a task" } };
    const res = await fetch(`http://127.0.0.1:${sidecarPort("backend")}/v1.0/publish/pubsub/${topics.taskEvents}`, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(event) });
    if (res.status !== 204) throw new Error(`publish: HTTP ${res.status} ${await res.text()}`);
    const headers = { authorization: `Bearer ${await signOperatorToken(jwtSecret)}` };
    await eventually("the invalid event in the dead-letter list", async () => {
      const r = await fetch(`http://127.0.0.1:${app("event-processor").port}/internal/dead-letters?limit=100`, { headers });
      return ((await r.json()) as { items: Array<{ eventId: string }> }).items;
    }, (items) => items.some((d) => d.eventId === id));
    return `event ${id} dead-lettered and listed`;
  },
  invocation: async () => {
    const signup = await fetch(`${base}/api/auth/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: `conf-${randomUUID()}@example.com`, password: "a-long-enough-passphrase-42" }) });
    const { token } = (await signup.json()) as { token: string };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${base}/api/tasks/${randomUUID()}/history`, { headers: { authorization: `Bearer ${token}` } })).status);
    if (statuses.some((s) => s !== statuses[0]) || statuses[0]! >= 500) throw new Error(`history of an unknown task answered ${statuses.join(",")}`);
    return `8 × ${statuses[0]}`;
  },
  jobs: async () => {
    const url = `http://127.0.0.1:${sidecarPort("reminder-scheduler")}/v1.0/jobs/conformance-${randomUUID()}`;
    const created = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ dueTime: new Date(Date.now() + 3_600_000).toISOString(), data: {}, failurePolicy: JOB_FAILURE_POLICY }) });
    if (created.status !== 204) throw new Error(`schedule: HTTP ${created.status} ${await created.text()}`);
    const got = (await (await fetch(url)).json()) as { failurePolicy?: unknown };
    await fetch(url, { method: "DELETE" });
    return `scheduled with failurePolicy, read back ${JSON.stringify(got.failurePolicy ?? null)}`;
  },
};

async function main(): Promise<number> {
  let failed = 0;
  for (const [name, check] of Object.entries(checks)) {
    try {
      console.log(`  ok   ${name.padEnd(12)} ${await check()}`);
    } catch (err) {
      failed++;
      console.error(`  FAIL ${name.padEnd(12)} ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log(failed === 0 ? "conformance checks passed" : `${failed} conformance check(s) FAILED`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
