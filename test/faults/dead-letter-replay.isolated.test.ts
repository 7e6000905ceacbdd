import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deadLetterTopic, topics } from "@todo/contracts/topology";
import type { LocalRuntime } from "#services/local-runtime";
import { databasePool, eventually, request, signUp, startQuietRuntime, type Pool } from "./support/fault-runtime";

const root = join(__dirname, "..", "..");

/**
 * Issue 14: `npm run dead-letters -- list|replay` against `npm start`. A task event that reached the
 * dead-letter topic (as daprd does after its retries) is listed, replayed by id — its effect happens —
 * and a second replay changes nothing.
 */
describe("faults: dead-letter replay against the local runtime", function () {
  this.timeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), "todo-replay-"));
  let runtime: LocalRuntime;
  let db: Pool;

  before(async () => {
    runtime = await startQuietRuntime({ dataDir, services: ["backend", "event-processor"] });
    db = databasePool(runtime.databaseUrl);
  });
  after(async () => {
    await db?.end();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * `npm run dead-letters -- …` as an operator runs it next to `npm start`: the URL from
   * DATA_DIR/runtime.json. Asynchronous: the sidecars live in this process and must keep answering.
   */
  const cli = (...args: string[]): Promise<{ code: number | null; out: string; err: string }> => {
    const secret = runtime.dapr.secrets.read("jwt-secret");
    // The secret is the runtime's (from JWT_SECRET, else DATA_DIR/jwt-secret, which the script also reads).
    const env = { ...process.env, DATA_DIR: dataDir, JWT_SECRET: secret.found ? secret.value : "" };
    return new Promise((resolve) => {
      execFile(process.execPath, ["--import", "tsx", join(root, "scripts", "dead-letters.ts"), ...args], { cwd: root, env, encoding: "utf8" }, (err, out, stderr) => {
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, out, err: stderr });
      });
    });
  };
  const audits = async (eventId: string) => Number((await db.query("SELECT count(*) AS n FROM event_processor.audit_events WHERE event_id = $1", [eventId])).rows[0].n);

  it("when a dead-lettered event is replayed by id, then its audit entry appears once, and a second replay is a no-op", async () => {
    const { token } = await signUp(runtime.url);
    const created = await request(runtime.url, "POST", "/api/tasks", { token, body: { title: "lost and found" } });
    assert.equal(created.status, 201);
    const { event_id: eventId, payload } = (await db.query("SELECT event_id, payload FROM backend.outbox WHERE task_id = $1 AND type = 'task.created'", [created.body.id])).rows[0];
    await eventually(() => audits(eventId), (n) => n === 1, 30_000, "the first audit entry");
    // As if daprd had dead-lettered it instead: never processed (no effect, no processed-id), and the
    // event sits in the dead-letter topic.
    await db.query("DELETE FROM event_processor.audit_events WHERE event_id = $1", [eventId]);
    await db.query("DELETE FROM event_processor.processed_events WHERE event_id = $1", [eventId]);
    const sidecar = runtime.dapr.sidecar("backend")!.url;
    const dl = await fetch(`${sidecar}/v1.0/publish/pubsub/${deadLetterTopic(topics.taskEvents)}`, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify({ ...payload, topic: topics.taskEvents }) });
    assert.equal(dl.status, 204);
    await eventually(() => cli("list"), (r) => r.out.includes(eventId), 30_000, "the dead letter in the list");

    const listed = await cli("list");
    assert.equal(listed.code, 0, listed.err);
    const line = listed.out.split("\n").find((l) => l.includes(eventId))!;
    assert.match(line, /\topen$/);
    const id = line.split("\t")[0]!;

    const replayed = await cli("replay", "--id", id);
    assert.equal(replayed.code, 0, replayed.err);
    assert.match(replayed.out, /1 replayed, 0 skipped, 0 failed/);
    await eventually(() => audits(eventId), (n) => n === 1, 30_000, "the audit entry after the replay");

    const again = await cli("replay", "--id", id);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /0 replayed, 0 skipped, 0 failed/);
    await runtime.dapr.idle();
    assert.equal(await audits(eventId), 1, "still exactly one");
    assert.match((await cli("list")).out, new RegExp(`${id}\\t.*replayed .*\\(1×\\)`));
    assert.equal((await cli("replay")).code, 2, "replay without --id or --all is refused");
  });
});
