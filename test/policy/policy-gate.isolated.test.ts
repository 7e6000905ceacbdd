import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// `npm run render` as CI runs it, on the cloud stack as committed and with a deliberately violating
// change preloaded (support/violating-change.ts): the same policies as the pack fail the render and
// name the policy and the resource.
const root = join(__dirname, "..", "..");

function render(preload?: string): { status: number | null; stdout: string; stderr: string; manifests: string[]; resources: Array<{ type: string; name: string }> } {
  const out = mkdtempSync(join(tmpdir(), "render-policy-"));
  try {
    const args = ["--import", "tsx", ...(preload ? ["--import", preload] : []), join(root, "scripts", "render.ts"), "--stack", "cloud", "--out", out];
    const res = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    const resources = (JSON.parse(readFileSync(join(out, "resources.json"), "utf8")) as { resources: Array<{ type: string; name: string }> }).resources;
    return { status: res.status, stdout: res.stdout, stderr: res.stderr, manifests: readdirSync(join(out, "kubernetes")), resources };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe("policy gate: npm run render applies the policy pack offline (and plans the backup)", function () {
  this.timeout(180_000);

  it("when the cloud stack is rendered as committed, then every policy passes and the render succeeds", () => {
    const r = render();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /policies: \d+ resources checked, 0 violations/);
    // The plan holds the backup (components/backup): the bucket and the CronJob with what it needs.
    assert.ok(r.resources.some((x) => x.type === "oci:ObjectStorage/bucket:Bucket" && x.name === "backup-bucket"));
    for (const file of ["todo-data.cronjob.postgres-backup.yaml", "todo-data.configmap.postgres-backup-script.yaml", "todo-data.networkpolicy.postgres-backup-egress.yaml"]) {
      assert.ok(r.manifests.includes(file), `${file} in ${r.manifests.filter((m) => m.startsWith("todo-data")).join(", ")}`);
    }
  });

  it("when a container loses its limits and a rule opens 22 to 0.0.0.0/0, then the render fails naming each policy and resource", () => {
    const r = render(join(__dirname, "support", "violating-change.ts"));
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /^\[containers-have-limits\] kubernetes:apps\/v1:Deployment app-backend: container backend has no limits\.cpu, limits\.memory$/m);
    assert.match(r.stderr, /^\[no-admin-port-open-to-world\] oci:Core\/securityList:SecurityList \S+: ingress rule \d+ opens port 22 to 0\.0\.0\.0\/0$/m);
    assert.match(r.stderr, /policies: \d+ resources checked, 2 violations/);
  });
});
