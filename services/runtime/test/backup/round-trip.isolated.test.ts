import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import type { AppId } from "@todo/contracts/topology";
import { startLocalRuntime, type LocalRuntime } from "../../src/local-runtime";

const repoRoot = resolve(__dirname, "../../../..");
// The services that own data (the web UI needs a Vite build and holds nothing to back up).
const services: AppId[] = ["backend", "event-processor", "reminder-scheduler", "notification"];

/** Runs `npm run backup|restore`'s script as npm would (tsx), with DATA_DIR and no DATABASE_URL. */
function runScript(script: "backup" | "restore", args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.DATABASE_URL;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "scripts", `${script}.ts`), ...args], { cwd: repoRoot, env: childEnv, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stderr }));
  });
}

async function api(base: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read whatever came back
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function eventually<T>(read: () => Promise<T>, holds: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (holds(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every row of every service table (generated columns included) and every sequence, as text. */
async function contents(databaseUrl: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL TimeZone = 'UTC'");
    const tables = await client.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
        WHERE table_schema IN ('backend', 'event_processor', 'notification', 'reminder_scheduler') AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
    );
    const out: Record<string, string[]> = {};
    for (const { s, t } of tables.rows) {
      const q = `${pg.escapeIdentifier(s)}.${pg.escapeIdentifier(t)}`;
      // node-pg-migrate's bookkeeping: the run time is the restore's; names and order must be equal.
      const sql = t === "pgmigrations" ? `SELECT name AS r FROM ${q} ORDER BY id` : `SELECT to_jsonb(x)::text AS r FROM ${q} x ORDER BY 1`;
      out[`${s}.${t}`] = (await client.query<{ r: string }>(sql)).rows.map((r) => r.r);
    }
    // The service schemas only: dapr_local is the local broker's queue of in-flight deliveries (empty once
    // quiet), which a backup leaves out as a cluster backup leaves out the broker; its id sequence is not data.
    const seqs = await client.query<{ s: string; n: string }>(
      "SELECT schemaname AS s, sequencename AS n FROM pg_sequences WHERE schemaname IN ('backend', 'event_processor', 'notification', 'reminder_scheduler') ORDER BY 1, 2",
    );
    for (const { s, n } of seqs.rows) {
      const v = await client.query<{ r: string }>(`SELECT last_value::text || '/' || is_called AS r FROM ${pg.escapeIdentifier(s)}.${pg.escapeIdentifier(n)}`);
      out[`sequence ${s}.${n}`] = [v.rows[0]!.r];
    }
    await client.query("COMMIT");
    return out;
  } finally {
    await client.end();
  }
}

describe("backup: round trip on the real embedded PostgreSQL, through the running services", function () {
  this.timeout(300_000);
  const work = mkdtempSync(join(tmpdir(), "todo-backup-roundtrip-"));
  if (process.getuid?.() === 0) chmodSync(work, 0o711); // as root, PostgreSQL runs as `postgres` and must pass through
  const source = join(work, "source-data");
  const fresh = join(work, "fresh-data");
  const file = join(work, "todo.backup");
  let runtime: LocalRuntime | undefined;

  after(async () => {
    await runtime?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("when tasks with history, reminders and notifications are backed up while running, dropped and restored into a fresh DATA_DIR, then everything is equal and the services serve it", async () => {
    runtime = await startLocalRuntime({ port: 0, dataDir: source, services, output: "silent", logLevel: "warn", readyTimeoutMs: 150_000 });
    const base = runtime.url;
    const email = `backup-${randomUUID()}@example.com`;
    const password = "a-long-enough-passphrase-42";
    const { body: signup } = await api(base, "POST", "/api/auth/signup", { body: { email, password } });
    const token = signup.token as string;

    const soon = () => new Date(Date.now() + 1500).toISOString();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const reminded = await api(base, "POST", "/api/tasks", { token, body: { title: "reminded soon", remindAt: soon(), dueAt: later, tags: ["backup", "ünïcødé"] } });
    assert.equal(reminded.status, 201);
    const edited = await api(base, "POST", "/api/tasks", { token, body: { title: "edited", description: "tab\there, newline\nand a backslash \\ kept", priority: "high" } });
    await api(base, "PATCH", `/api/tasks/${edited.body.id}`, { token, body: { title: "edited twice" } });
    const recurring = await api(base, "POST", "/api/tasks", { token, body: { title: "daily", dueAt: later, recurrence: "FREQ=DAILY" } });
    assert.equal((await api(base, "POST", `/api/tasks/${recurring.body.id}/complete`, { token })).status, 200);
    const deleted = await api(base, "POST", "/api/tasks", { token, body: { title: "deleted", remindAt: later } });
    assert.equal((await api(base, "DELETE", `/api/tasks/${deleted.body.id}`, { token })).status, 204);

    const notifications = await eventually(() => api(base, "GET", "/api/notifications", { token }), (r) => r.body?.items?.length === 1, 60_000, "the reminder's notification");
    await api(base, "POST", `/api/notifications/${notifications.body.items[0].id}/read`, { token });
    const notificationsBefore = await api(base, "GET", "/api/notifications", { token });
    const tasksBefore = await eventually(() => api(base, "GET", "/api/tasks?sort=title", { token }), (r) => r.body?.items?.length === 4, 30_000, "the next occurrence");
    const historyBefore = await eventually(
      () => api(base, "GET", `/api/tasks/${edited.body.id}/history`, { token }),
      (r) => r.body?.items?.length === 2,
      30_000,
      "the audit trail",
    );

    // Quiet: every event relayed and consumed, no reminder left scheduled (the sweep would touch it).
    const db = new pg.Client({ connectionString: runtime.databaseUrl });
    await db.connect();
    const pending = async () =>
      (
        await db.query<{ n: number }>(`SELECT (SELECT count(*) FROM backend.outbox WHERE sent_at IS NULL)
          + (SELECT count(*) FROM reminder_scheduler.reminders WHERE state = 'scheduled')
          + (SELECT count(*) FROM notification.notifications WHERE published_at IS NULL) AS n`)
      ).rows[0]!.n;
    await eventually(pending, (n) => Number(n) === 0, 30_000, "a quiet database");
    await db.end();
    await runtime.dapr.idle();
    const expected = await contents(runtime.databaseUrl);
    assert.ok(expected["backend.outbox"]!.length >= 6 && expected["event_processor.audit_events"]!.length >= 6, "events were written and audited");
    assert.equal(expected["reminder_scheduler.reminders"]!.length, 2);

    const backup = await runScript("backup", ["--out", file], { DATA_DIR: source });
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stderr, /backing up the embedded PostgreSQL of the running npm start/);
    assert.match(backup.stderr, /backup: \d+\/\d+ tables, [\d,]+\/[\d,]+ rows/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(await contents(runtime.databaseUrl), expected, "nothing changed while the backup ran");
    assert.equal((await runScript("backup", ["--out", file], { DATA_DIR: source })).code, 1, "an existing file is never overwritten");

    await runtime.stop();
    runtime = undefined;
    rmSync(source, { recursive: true, force: true }); // the lost boot volume

    const restore = await runScript("restore", ["--from", file], { DATA_DIR: fresh });
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stderr, /restore: \d+\/\d+ tables/);
    assert.ok(existsSync(join(fresh, "postgres", "PG_VERSION")), "the fresh DATA_DIR was initialised");

    const again = await runScript("restore", ["--from", file], { DATA_DIR: fresh });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /the target database is not empty: backend\.\w+/);

    runtime = await startLocalRuntime({ port: 0, dataDir: fresh, services, output: "silent", logLevel: "warn", readyTimeoutMs: 150_000 });
    assert.deepEqual(await contents(runtime.databaseUrl), expected, "every row and sequence is as it was");

    // A new DATA_DIR means a new JWT secret: the user logs in again with the restored password hash.
    const login = await api(runtime.url, "POST", "/api/auth/login", { body: { email, password } });
    assert.equal(login.status, 200);
    const t2 = login.body.token as string;
    assert.deepEqual((await api(runtime.url, "GET", "/api/tasks?sort=title", { token: t2 })).body, tasksBefore.body);
    assert.deepEqual((await api(runtime.url, "GET", `/api/tasks/${edited.body.id}/history`, { token: t2 })).body, historyBefore.body);
    const restoredNotifications = await api(runtime.url, "GET", "/api/notifications", { token: t2 });
    assert.equal(restoredNotifications.body.unreadCount, 0);
    assert.deepEqual(restoredNotifications.body, notificationsBefore.body);
    assert.ok(restoredNotifications.body.items[0].readAt);

    // The restored sequences go on where they were: a new reminder's notification gets a new seq
    // (an identity restarted at 1 would collide with the restored row and never be stored).
    const fresher = await api(runtime.url, "POST", "/api/tasks", { token: t2, body: { title: "after the restore", remindAt: soon() } });
    assert.equal(fresher.status, 201);
    const both = await eventually(() => api(runtime!.url, "GET", "/api/notifications", { token: t2 }), (r) => r.body?.items?.length === 2, 60_000, "a notification after the restore");
    assert.equal(both.body.unreadCount, 1);
    assert.equal(both.body.items[0].taskId, fresher.body.id);
  });
});
