import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { LocalDapr } from "#services/local-dapr";
import { createTestDatabase, freePort, stopTestDatabases, type TestDatabase } from "#services/testing/database";
import { databasePool, eventually, request, signUp, type Pool } from "./support/fault-runtime";

type Outcome = { status: number; id?: string } | { error: string };

/** Whether something still listens on the port (a bare TCP connect, so no request is ever accepted). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** One POST on a connection of its own, so "refused" (never accepted) and "reset" (accepted, then cut) differ. */
function postTask(baseUrl: string, token: string, title: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ title });
    const req = httpRequest(
      `${baseUrl}/api/tasks`,
      { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, id: res.statusCode === 201 ? (JSON.parse(text) as { id: string }).id : undefined }));
        res.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(body);
  });
}

/**
 * The backend's own process entry (main.ts) as a child process: SIGTERM while writes are in flight
 * (held on a table lock so they are certainly accepted and unfinished) lets them all finish, refuses
 * new connections, and leaves no task without its outbox row.
 */
describe("faults: SIGTERM under load (backend process)", function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let dapr: LocalDapr;
  let backend: ChildProcess;
  let baseUrl: string;
  let db: Pool;

  const RUNNING_PER_USER = 4; // the backend's default (TASK_WRITES_RUNNING_PER_USER), set here to be sure

  before(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = { ...process.env, JWT_SECRET: "sigterm-test-secret-that-is-long-enough-0123456789" };
    dapr = new LocalDapr({ env });
    const sidecar = await dapr.addApp("backend", baseUrl);
    const servicesDir = join(__dirname, "../../services");
    backend = spawn(process.execPath, ["--import", "tsx", join(servicesDir, "backend/src/main.ts")], {
      cwd: servicesDir,
      env: { ...env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: database.url, DAPR_HTTP_PORT: String(sidecar.port), LOG_LEVEL: "warn", SHUTDOWN_TIMEOUT_S: "20", TASK_WRITES_RUNNING_PER_USER: String(RUNNING_PER_USER) },
      stdio: ["ignore", "inherit", "inherit"],
    });
    await eventually(() => fetch(`${baseUrl}/readyz`).then((r) => r.status, () => 0), (s) => s === 200, 60_000, "backend ready");
    db = databasePool(database.url);
  });

  after(async () => {
    if (backend.exitCode === null && backend.signalCode === null) backend.kill("SIGKILL");
    await db?.end();
    await dapr?.stop();
    await database?.stop();
    await stopTestDatabases();
  });

  it("when SIGTERM arrives with writes in flight, then every accepted write finishes with 201, new ones are refused, and nothing is half-written", async () => {
    const { token, userId } = await signUp(baseUrl);
    assert.equal((await request(baseUrl, "POST", "/api/tasks", { token, body: { title: "warm-up" } })).status, 201);
    const exited = new Promise<number | null>((resolve) => backend.once("exit", (code) => resolve(code)));

    const blocker = await db.connect();
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE backend.tasks IN EXCLUSIVE MODE");
    const inFlight: Array<Promise<Outcome>> = [];
    const afterSignal: Outcome[] = [];
    try {
      for (let i = 0; i < 24; i++) inFlight.push(postTask(baseUrl, token, `in flight ${i}`));
      await eventually(
        () => db.query("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO backend.tasks%'").then((r) => Number(r.rows[0].n)),
        // One user's writes: RUNNING_PER_USER reach the database, the others wait their turn in the
        // backend — accepted too, so they must finish as well.
        (n) => n >= RUNNING_PER_USER,
        20_000,
        "writes blocked inside the backend",
      );
      backend.kill("SIGTERM");
      await eventually(() => listening(Number(new URL(baseUrl).port)), (up) => !up, 10_000, "the listener closed after SIGTERM");
      // Arriving after the signal: the listener is closed, so these are refused, never accepted and cut.
      afterSignal.push(...(await Promise.all(Array.from({ length: 4 }, (_, i) => postTask(baseUrl, token, `after signal ${i}`)))));
    } finally {
      await blocker.query("COMMIT");
      blocker.release();
    }
    const outcomes = await Promise.all(inFlight);
    assert.deepEqual(
      outcomes.filter((o) => !("status" in o) || o.status !== 201),
      [],
      "every request accepted before SIGTERM got its 201",
    );
    assert.deepEqual(
      afterSignal.filter((o) => !("error" in o) || o.error !== "ECONNREFUSED"),
      [],
      "requests after SIGTERM are refused, not reset",
    );
    assert.equal(await exited, 0, "the backend exits cleanly after draining");

    const ids = outcomes.map((o) => ("id" in o ? o.id : undefined));
    const stored = await db.query<{ id: string }>("SELECT id FROM backend.tasks WHERE id = ANY($1::uuid[])", [ids]);
    assert.equal(stored.rowCount, inFlight.length, "every acknowledged task is stored");
    const orphans = await db.query(
      `SELECT t.id FROM backend.tasks t WHERE t.user_id = $1
          AND NOT EXISTS (SELECT 1 FROM backend.outbox o WHERE o.task_id = t.id AND o.type = 'task.created')`,
      [userId],
    );
    assert.equal(orphans.rowCount, 0, "no task without its task.created outbox row");
    const taskless = await db.query("SELECT o.seq FROM backend.outbox o WHERE NOT EXISTS (SELECT 1 FROM backend.tasks t WHERE t.id = o.task_id) AND o.type = 'task.created'");
    assert.equal(taskless.rowCount, 0, "no task.created outbox row without its task");
    assert.equal(Number((await db.query("SELECT count(*) AS n FROM backend.tasks WHERE user_id = $1", [userId])).rows[0].n), inFlight.length + 1);
  });
});
