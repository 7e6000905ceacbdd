import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createTestDatabase, freePort, stopTestDatabases, type TestDatabase } from "../../testing/database";
import { startRecordingSidecar, type RecordingSidecar } from "../../testing/recording-sidecar";
import { JWT_SECRET, until } from "./backend-harness";

const MAIN = join(__dirname, "../src/main.ts");

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe("backend main (the process entry)", () => {
  let db: TestDatabase;
  let sidecar: RecordingSidecar;

  before(async () => {
    db = await createTestDatabase();
    sidecar = await startRecordingSidecar({ secrets: { "jwt-secret": JWT_SECRET } });
  });
  after(async () => {
    await sidecar?.stop();
    await db?.stop();
    await stopTestDatabases();
  });

  it("when a variable is invalid, then the process exits 1 naming it", async () => {
    const p = run({ PORT: "0", DATABASE_URL: "mysql://nope", DAPR_HTTP_PORT: String(sidecar.address.DAPR_HTTP_PORT) });
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /DATABASE_URL/);
  });

  it("when started from the environment, then it becomes ready, and on SIGTERM it stops cleanly with exit 0", async () => {
    const port = await freePort();
    const p = run({ PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: db.url, DAPR_HTTP_PORT: String(sidecar.address.DAPR_HTTP_PORT), LOG_LEVEL: "info" });
    try {
      await until("readyz 200", async () => {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
        return res?.status === 200;
      }, 30_000);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(metrics, /todo_outbox_unsent_events\{service="backend"\}/);
      p.child.kill("SIGTERM");
      assert.equal(await p.exited, 0);
      assert.match(p.output(), /"msg":"shutting down"/);
    } finally {
      p.child.kill("SIGKILL");
    }
  });
});
