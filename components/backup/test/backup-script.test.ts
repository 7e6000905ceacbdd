import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateKubernetesObject } from "../../../test/kubernetes-schema/validate";
import { backupScriptProblems, renderBackupScript } from "../backup-script";
import { backupCronJob, backupNetworkPolicy, objectStorageS3Endpoint } from "../backup-manifests";

const options = { bucket: "todo-platform-backups", keepDaily: 7, keepWeekly: 4, weeklyDay: 7 };

describe("backup: the CronJob's script", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "backup-script-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("when rendered, then every value is filled in and shellcheck (as POSIX sh) finds nothing", () => {
    const script = renderBackupScript(options);
    assert.doesNotMatch(script, /@[A-Z_]+@/);
    assert.match(script, /^BUCKET='todo-platform-backups'$/m);
    assert.match(script, /^KEEP_DAILY=7$/m);
    assert.match(script, /^KEEP_WEEKLY=4$/m);
    assert.match(script, /^WEEKLY_DAY=7$/m);
    const file = join(dir, "postgres-backup.sh");
    writeFileSync(file, script);
    const res = spawnSync("shellcheck", ["--shell=sh", "--format=gcc", file], { encoding: "utf8" });
    assert.ok(!res.error, "shellcheck must be installed (Debian: apt-get install shellcheck)");
    assert.equal(`${res.stdout}${res.stderr}`.trim(), "");
    assert.equal(res.status, 0);
  });

  it("when the script runs without a step, then it refuses with its usage (sh really parses it)", () => {
    const file = join(dir, "usage.sh");
    writeFileSync(file, renderBackupScript(options));
    const res = spawnSync("sh", [file], { encoding: "utf8" });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /usage: .* dump\|upload/);
  });

  it("when the upload step runs against a fake rclone, then it uploads daily (and weekly on the day) and keeps only the newest copies", () => {
    // A stand-in for rclone on PATH that keeps objects as files, so retention is checked on real listings.
    const bin = join(dir, "bin");
    const store = join(dir, "store");
    const backup = join(dir, "backup");
    spawnSync("mkdir", ["-p", bin, join(store, "daily"), join(store, "weekly"), backup]);
    writeFileSync(
      join(bin, "rclone"),
      `#!/bin/sh
set -eu
path() { printf '%s' "$STORE/\${1#oci:todo-platform-backups/}"; }
cmd="$1"; shift
case "$cmd" in
  copyto) [ "$1" = "--s3-no-check-bucket" ] && shift
          case "$1" in oci:*) cp "$(path "$1")" "$(path "$2")" ;; *) cp "$1" "$(path "$2")" ;; esac ;;
  lsf) [ "$1" = "--files-only" ] && shift; ls "$(path "$1")" ;;
  deletefile) rm "$(path "$1")" ;;
  *) exit 9 ;;
esac
`,
      { mode: 0o755 },
    );
    for (let d = 1; d <= 9; d++) writeFileSync(join(store, "daily", `todo-2026-11-0${d}T031700Z.dump`), "old");
    for (let w = 40; w <= 45; w++) writeFileSync(join(store, "weekly", `todo-2026-W${w}.dump`), "old");
    writeFileSync(join(backup, "todo-2026-12-06T031700Z.dump"), "new");
    const script = renderBackupScript(options).replace("BACKUP_DIR=/backup", `BACKUP_DIR=${backup}`);
    writeFileSync(join(dir, "run.sh"), script);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, STORE: store };
    // `date -u +%u` decides the weekly copy: run once as it is (whatever today is) and check consistency.
    const res = spawnSync("sh", [join(dir, "run.sh"), "upload"], { encoding: "utf8", env });
    assert.equal(res.status, 0, res.stderr + res.stdout);
    const ls = (sub: string) => spawnSync("ls", [join(store, sub)], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
    const daily = ls("daily");
    assert.equal(daily.length, 7, daily.join(" "));
    assert.ok(daily.includes("todo-2026-12-06T031700Z.dump"), "the new dump is kept");
    assert.ok(!daily.includes("todo-2026-11-01T031700Z.dump") && !daily.includes("todo-2026-11-03T031700Z.dump"), "the oldest are gone");
    const weekly = ls("weekly");
    assert.equal(weekly.length, 4, weekly.join(" "));
    const isWeeklyDay = spawnSync("date", ["-u", "+%u"], { encoding: "utf8" }).stdout.trim() === "7";
    assert.equal(weekly.some((w) => !/W4[0-5]/.test(w)), isWeeklyDay, "this week's copy only on the weekly day");
  });

  it("when a value would not be safe in the script, then it is refused naming the key", () => {
    assert.deepEqual(backupScriptProblems(options), []);
    assert.deepEqual(backupScriptProblems({ ...options, bucket: "x'; rm -rf /; '" }), [`bucket: "x'; rm -rf /; '" is not an Object Storage bucket name`]);
    assert.deepEqual(backupScriptProblems({ ...options, keepDaily: 0, weeklyDay: 8 }), ["keepDaily: 0 is not an integer in 1..366", "weeklyDay: 8 is not an ISO weekday 1..7"]);
    assert.throws(() => renderBackupScript({ ...options, keepWeekly: 1.5 }), /keepWeekly: 1\.5/);
  });
});

describe("backup: the CronJob and its network policy", () => {
  const job = backupCronJob({
    namespace: "todo-data",
    schedule: "17 3 * * *",
    images: { postgres: "postgres:17.6-alpine", rclone: "rclone/rclone:1.71.1" },
    postgres: { host: "postgres.todo-data.svc.cluster.local", port: 5432, database: "todo", user: "todo", passwordSecret: { name: "postgres-credentials", key: "POSTGRES_PASSWORD" } },
    s3: { endpoint: objectStorageS3Endpoint("axaxnpcrorw5", "eu-frankfurt-1"), region: "eu-frankfurt-1", credentialsSecret: "postgres-backup-credentials" },
    scriptConfigMap: "postgres-backup-script",
    scratchSize: "2Gi",
  });
  const pod = job.spec.jobTemplate.spec.template.spec;

  it("when built, then it is a valid CronJob that runs one at a time, non-root, with credentials only from Secrets", async () => {
    assert.deepEqual(await validateKubernetesObject(job), []);
    assert.equal(job.spec.concurrencyPolicy, "Forbid");
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.automountServiceAccountToken, false);
    const env = [...pod.initContainers, ...pod.containers].flatMap((c) => c.env);
    for (const name of ["PGPASSWORD", "RCLONE_CONFIG_OCI_ACCESS_KEY_ID", "RCLONE_CONFIG_OCI_SECRET_ACCESS_KEY"]) {
      const e = env.find((x) => x.name === name)!;
      assert.ok("valueFrom" in e && !("value" in e), `${name} comes from a Secret`);
    }
    assert.equal(env.find((e) => e.name === "RCLONE_CONFIG_OCI_ENDPOINT")?.value, "https://axaxnpcrorw5.compat.objectstorage.eu-frankfurt-1.oraclecloud.com");
    assert.deepEqual(pod.initContainers[0]!.command, ["/bin/sh", "/scripts/postgres-backup.sh", "dump"]);
    assert.deepEqual(pod.containers[0]!.command, ["/bin/sh", "/scripts/postgres-backup.sh", "upload"]);
  });

  it("when the egress policy is built, then the pods reach PostgreSQL, DNS and public HTTPS only, and nothing reaches them", async () => {
    const np = backupNetworkPolicy({ namespace: "todo-data", postgresPort: 5432, postgresPodLabels: { "app.kubernetes.io/name": "postgres" } });
    assert.deepEqual(await validateKubernetesObject(np), []);
    assert.deepEqual(np.spec.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(np.spec.ingress, []);
    const egress = np.spec.egress as Array<{ to: Array<Record<string, any>>; ports: Array<{ port: number }> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(egress.length, 3);
    assert.deepEqual(egress[0]!.ports, [{ protocol: "TCP", port: 5432 }]);
    const world = egress[2]!;
    assert.deepEqual(world.ports, [{ protocol: "TCP", port: 443 }]);
    assert.ok(world.to[0]!.ipBlock.except.includes("10.0.0.0/8") && world.to[0]!.ipBlock.except.includes("169.254.0.0/16"), "not the cluster, not the metadata service");
  });
});
