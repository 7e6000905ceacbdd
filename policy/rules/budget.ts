import { budgetTable, chartLines, cronJobLines, hpaMaxReplicas, k3sBaseline, sumBudget, workloadLines, type BudgetLine } from "../budget";
import { isType, type PolicyResource, type StackRule } from "./types";

const WORKLOAD_KINDS: Record<string, string> = {
  "kubernetes:apps/v1:deployment": "Deployment",
  "kubernetes:apps/v1:statefulset": "StatefulSet",
  "kubernetes:apps/v1:daemonset": "DaemonSet",
};

/**
 * The requests of a stack that provisions OCI A1 nodes, counted as policy/budget.ts counts them
 * (k3s constants, every chart's values, every workload at its HPA maximum, the Dapr sidecars, CronJobs).
 * Undefined for a stack without OCI instances: Minikube's capacity is the laptop's.
 */
export function stackBudgetLines(resources: readonly PolicyResource[]): BudgetLine[] | undefined {
  const nodeCount = resources.filter((r) => isType(r, "oci:Core/instance:Instance")).length;
  if (nodeCount === 0) return undefined;
  const lines: BudgetLine[] = [...k3sBaseline(nodeCount)];
  for (const release of resources.filter((r) => isType(r, "kubernetes:helm.sh/v3:Release"))) {
    lines.push(...chartLines(String(release.props.chart), (release.props.values ?? {}) as Record<string, unknown>, nodeCount));
  }
  const hpas = resources.filter((r) => isType(r, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).map((h) => h.props as { spec?: { scaleTargetRef?: { name?: string }; maxReplicas?: number } });
  const autoscaled = hpaMaxReplicas(hpas);
  for (const r of resources) {
    if (isType(r, "kubernetes:batch/v1:CronJob")) lines.push(...cronJobLines(r.props as { metadata?: { name?: string } }, nodeCount));
    const kind = WORKLOAD_KINDS[r.type.toLowerCase()];
    if (!kind) continue;
    const manifest = r.props as { metadata?: { name?: string } };
    lines.push(...workloadLines(kind, manifest, nodeCount, kind === "Deployment" ? autoscaled.get(manifest.metadata?.name ?? "") : undefined));
  }
  return lines;
}

export const cloudBudget: StackRule = {
  name: "cloud-budget",
  description: "On a stack with OCI A1 nodes, all requests stay within 80% of the Always Free 2 OCPU / 12 GB.",
  check(resources) {
    let lines: BudgetLine[] | undefined;
    try {
      lines = stackBudgetLines(resources);
    } catch (err) {
      return [{ message: `the budget cannot be counted: ${(err as Error).message}` }]; // e.g. a workload without requests
    }
    if (!lines) return [];
    const result = sumBudget(lines);
    if (result.fits) return [];
    return [
      {
        message:
          `requests ${result.total.cpuMillicores}m CPU / ${Math.round(result.total.memoryMiB)}Mi memory exceed the limit ` +
          `${result.limit.cpuMillicores}m / ${Math.round(result.limit.memoryMiB)}Mi (80% of 2 OCPU / 12 GB)\n${budgetTable(result)}`,
      },
    ];
  },
};
