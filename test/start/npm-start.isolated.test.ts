import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "#services/testing/database";

// What a user does: `npm start` from the repository root, then stops it — with SIGTERM sent to the npm
// process itself (as a process manager or `kill` would), not to the whole process group as Ctrl-C does.
const root = join(__dirname, "..", "..");

/** Every process whose command line mentions `needle` (this machine's /proc). */
function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      const env = readFileSync(`/proc/${pid}/environ`, "utf8");
      if (cmd.includes(needle) || env.includes(needle)) found.push(`${pid} ${cmd.trim()}`);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return found;
}

describe("npm start", function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "todo-npm-start-"));

  after(() => {
    child?.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("when started from the root, then it prints the URL and /readyz answers 200; when npm gets SIGTERM, then no process is left", async () => {
    const port = await freePort();
    child = spawn("npm", ["start"], { cwd: root, env: { ...process.env, PORT: String(port), METRICS_PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<string>((resolve) => child!.once("exit", (code, signal) => resolve(signal ?? String(code))));

    const deadline = Date.now() + 150_000;
    while (!output.includes(`ready on http://localhost:${port}`)) {
      assert.ok(Date.now() < deadline, `no ready line within the time limit:\n${output.slice(-2000)}`);
      assert.equal(child.exitCode, null, `npm start exited early:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);
    assert.ok(processesMentioning(dataDir).length >= 7, "the runtime, PostgreSQL and the six services run with this data dir");

    child.kill("SIGTERM");
    // npm itself either exits 0 or dies of the SIGTERM it forwarded; what matters is what it leaves.
    assert.ok(["0", "SIGTERM"].includes(await exited), output.slice(-2000));
    // The runtime finishes stopping the services and PostgreSQL after npm is gone; give it the time.
    const until = Date.now() + 15_000;
    let left = processesMentioning(dataDir);
    while (left.length > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      left = processesMentioning(dataDir);
    }
    assert.deepEqual(left, [], "processes left behind");
  });
});
