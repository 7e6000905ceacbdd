import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { databasePool, eventually, request, runBounded, signUp } from "./support/fault-runtime";
import { READY_MARKER } from "./support/runtime-process";

const root = join(__dirname, "..", "..");

/** Every process started for `dataDir` (the runtime passes it in the environment of all it starts), or only those whose command line mentions `only`. */
function pidsOf(dataDir: string, only?: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const env = readFileSync(`/proc/${pid}/environ`, "utf8");
      if ((cmd.includes(dataDir) || env.includes(dataDir)) && Number(pid) !== process.pid && (only === undefined || cmd.includes(only))) found.push(Number(pid));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2]!.startsWith("Z");
  } catch {
    return false;
  }
}

async function startRuntimeProcess(dataDir: string): Promise<{ child: ChildProcess; url: string; databaseUrl: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "support", "runtime-process.ts")], { cwd: root, env: { ...process.env, DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (l) => {
      if (l.startsWith(READY_MARKER)) resolve(l.slice(READY_MARKER.length));
    });
    child.once("exit", (code) => reject(new Error(`runtime exited early (${code})`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; databaseUrl: string }) };
}

/**
 * Issue 14: the local broker survives a crash. The runtime — and everything it started, PostgreSQL
 * included, as when the machine dies — is SIGKILLed while events are accepted but not yet delivered;
 * after a new start on the same data directory every event has its effect, once.
 */
describe("faults: the local runtime is SIGKILLed mid-load", function () {
  this.timeout(400_000);
  const dataDir = mkdtempSync(join(tmpdir(), "todo-crash-"));

  after(() => {
    for (const pid of pidsOf(dataDir)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("when the runtime dies with undelivered events, then after a restart every task has its audit entry exactly once", async () => {
    const first = await startRuntimeProcess(dataDir);
    const { token, userId } = await signUp(first.url);
    const db = databasePool(first.databaseUrl, 2);
    // The consumer is frozen (SIGSTOP) so deliveries pile up in the broker, then everything dies at once.
    const consumer = pidsOf(dataDir, "event-processor/src/main");
    assert.equal(consumer.length, 1, "the event-processor process");
    process.kill(consumer[0]!, "SIGSTOP");
    const acknowledged: string[] = [];
    await runBounded(200, 16, async (i) => {
      const res = await request(first.url, "POST", "/api/tasks", { token, body: { title: `crash ${i}` } });
      if (res.status === 201) acknowledged.push(res.body.id as string);
    });
    const pendingAtKill = await eventually(async () => Number((await db.query("SELECT count(*) AS n FROM dapr_local.pending_deliveries")).rows[0].n), (n) => n >= 200, 30_000, "the outbox relayed into the broker");
    for (const pid of pidsOf(dataDir)) process.kill(pid, "SIGKILL");
    await db.end().catch(() => undefined);
    assert.ok(pendingAtKill >= 200, "events were accepted and not yet delivered when the runtime died");
    assert.equal(acknowledged.length, 200);
    await eventually(async () => pidsOf(dataDir).length, (n) => n === 0, 10_000, "every process of the runtime gone");

    const second = await startRuntimeProcess(dataDir);
    const db2 = databasePool(second.databaseUrl, 2);
    try {
      const audits = () => db2.query<{ task_id: string; n: number }>("SELECT task_id, count(*)::int AS n FROM event_processor.audit_events WHERE user_id = $1 AND type = 'task.created' GROUP BY task_id", [userId]).then((r) => r.rows);
      const rows = await eventually(audits, (r) => acknowledged.every((id) => r.some((a) => a.task_id === id)), 180_000, "an audit entry for every acknowledged task");
      assert.deepEqual(rows.filter((r) => r.n !== 1), [], "no task audited twice");
      await eventually(async () => Number((await db2.query("SELECT count(*) AS n FROM dapr_local.pending_deliveries")).rows[0].n), (n) => n === 0, 60_000, "every pending delivery settled");
    } finally {
      await db2.end();
      second.child.kill("SIGTERM");
      await new Promise((r) => second.child.once("exit", r));
    }
  });

  it("when only the runtime process is SIGKILLed, then the services it started shut themselves down instead of running on unsupervised", async () => {
    const runtime = await startRuntimeProcess(dataDir);
    const services = pidsOf(dataDir, "/src/main");
    assert.equal(services.length, 2, "backend and event-processor");
    process.kill(runtime.child.pid!, "SIGKILL");
    await eventually(async () => services.filter(alive), (left) => left.length === 0, 20_000, "the orphaned services gone");
  });
});
