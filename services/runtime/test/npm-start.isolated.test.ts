import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { unusedPort as freePort } from "../src/ports";

const servicesDir = resolve(__dirname, "../..");

/** Every process below `root`, from /proc (Linux): what must be gone after a clean stop. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start (the compiled runtime as a process)", function () {
  this.timeout(300_000);
  let child: ChildProcess | undefined;
  let dataDir: string;

  before(() => {
    // What `npm start` runs first; incremental, so cheap when already built.
    execFileSync("npm", ["run", "build", "--silent"], { cwd: servicesDir, stdio: "ignore" });
    dataDir = mkdtempSync(join(tmpdir(), "todo-npm-start-"));
  });

  after(() => {
    if (child?.pid && alive(child.pid)) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("when started, then it prints the URL once /readyz is 200; when sent SIGTERM, then it exits 0 leaving no process behind", async () => {
    const port = await freePort();
    child = spawn(process.execPath, [join(servicesDir, "dist/runtime/src/main.js")], {
      cwd: servicesDir,
      env: { ...process.env, PORT: String(port), METRICS_PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "warn", DATABASE_URL: "", JWT_SECRET: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));

    const deadline = Date.now() + 240_000;
    while (!output.includes(`Todo Platform is ready on http://localhost:${port}`)) {
      assert.ok(Date.now() < deadline, `not ready in time:\n${output.slice(-3000)}`);
      assert.equal(child.exitCode, null, `exited early:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);
    const report = (await ready.json()) as { checks: Record<string, string> };
    assert.ok(Object.keys(report.checks).includes("backend"));

    // No JWT_SECRET given: one was generated for this data directory, readable only by its owner.
    assert.equal(statSync(join(dataDir, "jwt-secret")).mode & 0o777, 0o600);

    const spawned = descendants(child.pid!);
    assert.ok(spawned.length >= 3, "services and PostgreSQL run as child processes");
    child.kill("SIGTERM");
    assert.equal(await exited, 0, output.slice(-3000));
    await new Promise((r) => setTimeout(r, 500));
    const left = spawned.filter(alive);
    assert.deepEqual(left, [], `left behind: ${left.join(", ")}`);
  });
});
