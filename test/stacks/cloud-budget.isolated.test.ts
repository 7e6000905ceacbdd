// The cloud budget: runs the whole cloud stack (stacks/index.ts) under Pulumi mocks, collects the CPU
// and memory requests of everything it schedules, adds the documented k3s constants, and fails above
// 80% of the Always Free 2 OCPU / 12 GB. The printed table is what docs/BUDGET.md shows
// (regenerate: `BUDGET_TABLE=1 node scripts/run-tests.mjs cloud-budget`).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import {
  BOOT_VOLUME_SYSTEM_GIB,
  budgetTable,
  chartLines,
  chartVolumeLines,
  cronJobLines,
  hpaMaxReplicas,
  k3sBaseline,
  statefulSetVolumeLines,
  sumBudget,
  sumVolumes,
  workloadLines,
  type BudgetLine,
  type BudgetResult,
  type VolumeLine,
} from "../../policy/budget";
import { byType, installMocks, promiseOf, resources, reveal, setCloudStackConfig } from "./cloud-cluster-mocks";

const root = join(__dirname, "..", "..");
setCloudStackConfig();
installMocks("todo-platform", "cloud");

const WORKLOAD_KINDS: Record<string, string> = {
  "kubernetes:apps/v1:deployment": "Deployment",
  "kubernetes:apps/v1:statefulset": "StatefulSet",
  "kubernetes:apps/v1:daemonset": "DaemonSet",
};

describe("cloud budget (whole cloud stack under mocks)", () => {
  let result: BudgetResult;
  let nodeCount: number;
  let autoscaled: Map<string, number>;
  const volumes: VolumeLine[] = [];

  before(async () => {
    const program = await import("../../stacks/index.js");
    // Wait for every exported output so that all resources have registered.
    await Promise.all(Object.values(program).filter(pulumi.Output.isInstance).map((o) => promiseOf(o as pulumi.Output<unknown>)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    nodeCount = byType("oci:core/instance:Instance").length;
    const lines: BudgetLine[] = [...k3sBaseline(nodeCount)];
    for (const release of byType("kubernetes:helm.sh/v3:Release")) {
      const values = reveal<Record<string, unknown>>(release.inputs.values) ?? {};
      lines.push(...chartLines(String(release.inputs.chart), values, nodeCount));
      volumes.push(...chartVolumeLines(String(release.inputs.chart), values));
    }
    autoscaled = hpaMaxReplicas(byType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => reveal(h.inputs)));
    for (const r of resources) {
      if (r.type === "kubernetes:batch/v1:CronJob") lines.push(...cronJobLines(reveal(r.inputs), nodeCount));
      const kind = WORKLOAD_KINDS[r.type.toLowerCase()];
      if (!kind) continue;
      const manifest = reveal<{ metadata?: { name?: string } }>(r.inputs);
      lines.push(...workloadLines(kind, manifest, nodeCount, kind === "Deployment" ? autoscaled.get(manifest.metadata?.name ?? "") : undefined));
      if (kind === "StatefulSet") volumes.push(...statefulSetVolumeLines(manifest));
    }
    // A stable order for the table (registration order is not): k3s as declared, then charts, then
    // each app followed by its sidecar.
    const rank = { k3s: 0, chart: 1, app: 2, sidecar: 2 } as const;
    const ordered = lines
      .map((line, i) => ({ line, i }))
      .sort((a, b) => rank[a.line.source] - rank[b.line.source] || (a.line.source === "k3s" ? a.i - b.i : a.line.component.localeCompare(b.line.component)))
      .map(({ line }) => line);
    result = sumBudget(ordered);
    if (process.env.BUDGET_TABLE) console.log(`\n${budgetTable(result)}\n`);
  });

  it("when the cloud stack is planned, then it creates the nodes, Helm releases and workloads the budget counts", () => {
    assert.ok(nodeCount >= 1, "at least one A1 instance");
    assert.ok(byType("kubernetes:helm.sh/v3:Release").length >= 3, "platform charts are installed");
    assert.ok(result.lines.some((l) => l.source === "app"), "app workloads are counted");
    assert.ok(result.lines.some((l) => l.source === "sidecar"), "Dapr sidecars are counted");
  });

  it("when a Deployment has an HPA, then it is budgeted at the HPA's maxReplicas (app container and sidecar)", () => {
    assert.ok(autoscaled.size >= 2, "backend and event-processor are autoscaled");
    for (const [name, max] of autoscaled) {
      assert.ok(max > 1);
      assert.equal(result.lines.find((l) => l.component === name)!.replicas, max, name);
      assert.equal(result.lines.find((l) => l.component === `${name}/daprd`)!.replicas, max, `${name}/daprd`);
    }
  });

  it("when the Dapr chart is counted, then its scheduler is three pods with three PVCs (the chart hard-codes replicas: 3)", () => {
    const scheduler = result.lines.find((l) => l.component === "dapr/dapr_scheduler")!;
    assert.equal(scheduler.replicas, 3);
    assert.equal(volumes.find((v) => v.component === "dapr/dapr_scheduler")!.count, 3);
  });

  it("when the PVCs are summed, then they fit on the boot volume next to the OS, k3s and images", () => {
    const { claims, totalGiB } = sumVolumes(volumes);
    const boot = (parse(readFileSync(join(root, "Pulumi.cloud.yaml"), "utf8")) as { config: Record<string, { bootVolumeSizeGbs: number }> }).config["todo-platform:oci"].bootVolumeSizeGbs;
    // 3 scheduler + Prometheus + PostgreSQL (in-cluster database)
    assert.ok(claims >= 5, `PVCs counted: ${JSON.stringify(volumes)}`);
    assert.ok(totalGiB + BOOT_VOLUME_SYSTEM_GIB <= boot, `${totalGiB} GiB of PVCs + ${BOOT_VOLUME_SYSTEM_GIB} GiB system > ${boot} GB boot volume`);
    if (process.env.BUDGET_TABLE) console.log(`PVCs: ${claims}, ${totalGiB} GiB: ${volumes.map((v) => `${v.component} ${v.count}×${v.eachGiB}Gi`).join(", ")}`);
  });

  it("when the requests are summed, then they stay within 80% of 2 OCPU / 12 GB", () => {
    assert.ok(
      result.fits,
      `over budget: ${result.total.cpuMillicores}m of ${result.limit.cpuMillicores}m CPU, ` +
        `${Math.round(result.total.memoryMiB)}Mi of ${Math.round(result.limit.memoryMiB)}Mi memory\n${budgetTable(result)}`,
    );
  });

  it("when docs/BUDGET.md is read, then its table is the one this test computes", () => {
    const doc = readFileSync(join(root, "docs", "BUDGET.md"), "utf8");
    assert.ok(doc.includes(budgetTable(result)), `docs/BUDGET.md is stale; regenerate with BUDGET_TABLE=1 node scripts/run-tests.mjs cloud-budget\n${budgetTable(result)}`);
  });
});
