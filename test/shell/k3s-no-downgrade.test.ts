// The rendered k3s install scripts, run by bash against stub `k3s`, `systemctl` and `curl`: a node that
// runs a NEWER k3s than requested (a rollback to an older commit) keeps it — Kubernetes does not
// support downgrades — while an older one is upgraded (the installer is fetched).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderScript } from "../../components/cluster/k3s-bootstrap";

const inputs = { K3S_VERSION: "v1.33.5+k3s1", K3S_TOKEN: "t", KUBE_RESERVED: "cpu=300m,memory=1600Mi", SYSTEM_RESERVED: "cpu=100m,memory=256Mi" };

function run(script: string, runningVersion: string): { status: number | null; stderr: string; installerFetched: boolean } {
  const dir = mkdtempSync(join(tmpdir(), "k3s-stub-"));
  try {
    const stub = (name: string, body: string) => {
      writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    };
    stub("k3s", `if [ "$1" = --version ]; then echo "k3s version ${runningVersion} (0123abcd)"; echo "go version go1.24"; fi; exit 0`);
    stub("systemctl", "exit 0");
    // The agent pings the server first (answered); the installer download is recorded and fails.
    stub("curl", `case "$*" in *6443/ping*) exit 0 ;; esac; touch "${join(dir, "curl-called")}"; exit 7`);
    stub("journalctl", "exit 0");
    const res = spawnSync("bash", ["-s"], { input: script, encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
    return { status: res.status, stderr: res.stderr, installerFetched: existsSync(join(dir, "curl-called")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const scripts = {
  server: renderScript("install-k3s-server", { ...inputs, PUBLIC_IP: "203.0.113.10", PRIVATE_IP: "10.0.1.10" }),
  agent: renderScript("install-k3s-agent", { ...inputs, SERVER_IP: "10.0.1.10", PRIVATE_IP: "10.0.1.11" }),
};

describe("k3s install scripts never downgrade (rendered, run by bash with stubs)", () => {
  for (const [role, script] of Object.entries(scripts)) {
    it(`when the ${role} runs a newer k3s than requested, then it is kept and no installer is fetched`, () => {
      const r = run(script, "v1.34.1+k3s1");
      assert.equal(r.installerFetched, false, r.stderr);
      assert.match(r.stderr, /k3s v1\.34\.1\+k3s1 runs, newer than the requested v1\.33\.5\+k3s1: kept/);
      assert.equal(r.status, 0, r.stderr);
    });

    it(`when the ${role} runs an older k3s, then it is upgraded (the installer is fetched)`, () => {
      const r = run(script, "v1.32.9+k3s1");
      assert.equal(r.installerFetched, true);
      assert.notEqual(r.status, 0, "the stub curl fails the download");
    });
  }
});
