// The cloud budget: everything the cloud stack schedules must request at most 80% of the Always Free
// A1 allowance (2 OCPU / 12 GB). Pure: the lines come from the program under mocks (the cloud-budget
// policy in policy/rules/budget.ts, and test/stacks/cloud-budget.isolated.test.ts, which prints the
// table in docs/BUDGET.md) plus the k3s constants the nodes reserve (components/budget.ts).

import { K3S_AGENT_PROCESS, K3S_SERVER_PROCESS, OS_RESERVED, type Requests } from "../components/budget";
import { DAPR_SCHEDULER_REPLICAS } from "../components/platform/helm-values";
import { parseCpu, parseMemory } from "../components/quantity";

export interface BudgetLine {
  /** What is scheduled, e.g. `dapr/dapr_operator` or `backend/daprd`. */
  component: string;
  /** Where the figure comes from. */
  source: "k3s" | "chart" | "app" | "sidecar";
  replicas: number;
  perReplica: Requests;
}

export interface BudgetResult {
  lines: BudgetLine[];
  total: Requests;
  capacity: Requests;
  limit: Requests;
  fits: boolean;
}

/** Always Free A1 allowance since mid-2026: 2 OCPU (= 2 Ampere cores) and 12 GB. */
export const ALWAYS_FREE_CAPACITY: Requests = { cpuMillicores: 2000, memoryMiB: 12 * 1024 };
export const BUDGET_RATIO = 0.8;

/**
 * Pods k3s deploys itself from its packaged manifests (github.com/k3s-io/k3s `manifests/`), with the
 * requests those manifests set. Traefik is disabled (`--disable=traefik`): the platform installs its own.
 * - coredns.yaml: requests cpu 100m, memory 70Mi.
 * - metrics-server/metrics-server-deployment.yaml: requests cpu 100m, memory 70Mi.
 * - local-storage.yaml (local-path-provisioner): no requests in the manifest; its memory is
 *   counted here at its measured idle size so the line is not zero.
 */
export const K3S_SYSTEM_PODS: BudgetLine[] = [
  { component: "k3s/coredns", source: "k3s", replicas: 1, perReplica: { cpuMillicores: 100, memoryMiB: 70 } },
  { component: "k3s/metrics-server", source: "k3s", replicas: 1, perReplica: { cpuMillicores: 100, memoryMiB: 70 } },
  { component: "k3s/local-path-provisioner", source: "k3s", replicas: 1, perReplica: { cpuMillicores: 0, memoryMiB: 32 } },
];

/** The constant part of the budget for a layout of `nodeCount` nodes (1 server + agents). */
export function k3sBaseline(nodeCount: number): BudgetLine[] {
  const lines: BudgetLine[] = [
    { component: "k3s/server process", source: "k3s", replicas: 1, perReplica: K3S_SERVER_PROCESS },
    { component: "os/system reserved", source: "k3s", replicas: nodeCount, perReplica: OS_RESERVED },
  ];
  if (nodeCount > 1) {
    lines.push({ component: "k3s/agent process", source: "k3s", replicas: nodeCount - 1, perReplica: K3S_AGENT_PROCESS });
  }
  return [...lines, ...K3S_SYSTEM_PODS];
}

/** Requests of a container `resources` block; throws naming `where` when a request is missing. */
export function requestsOf(resources: unknown, where: string): Requests {
  const requests = (resources as { requests?: { cpu?: string | number; memory?: string | number } } | undefined)?.requests;
  if (requests?.cpu === undefined || requests?.memory === undefined) {
    throw new Error(`${where}: no explicit CPU and memory requests`);
  }
  return { cpuMillicores: parseCpu(requests.cpu), memoryMiB: parseMemory(requests.memory) };
}

export function sumBudget(lines: BudgetLine[], capacity: Requests = ALWAYS_FREE_CAPACITY, ratio = BUDGET_RATIO): BudgetResult {
  const total = lines.reduce<Requests>(
    (acc, l) => ({
      cpuMillicores: acc.cpuMillicores + l.replicas * l.perReplica.cpuMillicores,
      memoryMiB: acc.memoryMiB + l.replicas * l.perReplica.memoryMiB,
    }),
    { cpuMillicores: 0, memoryMiB: 0 },
  );
  const limit = { cpuMillicores: capacity.cpuMillicores * ratio, memoryMiB: capacity.memoryMiB * ratio };
  return {
    lines,
    total,
    capacity,
    limit,
    fits: total.cpuMillicores <= limit.cpuMillicores && total.memoryMiB <= limit.memoryMiB,
  };
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

/** The budget as a Markdown table (pasted into docs/BUDGET.md from the test's output). */
export function budgetTable(result: BudgetResult): string {
  const rows = result.lines.map(
    (l) =>
      `| ${l.component} | ${l.source} | ${l.replicas} | ${l.perReplica.cpuMillicores}m | ${Math.round(l.perReplica.memoryMiB)}Mi | ` +
      `${l.replicas * l.perReplica.cpuMillicores}m | ${Math.round(l.replicas * l.perReplica.memoryMiB)}Mi |`,
  );
  const { total, capacity, limit } = result;
  return [
    "| component | source | replicas | CPU each | memory each | CPU | memory |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...rows,
    `| **total** | | | | | **${total.cpuMillicores}m** (${pct(total.cpuMillicores, capacity.cpuMillicores)}) | **${Math.round(total.memoryMiB)}Mi** (${pct(total.memoryMiB, capacity.memoryMiB)}) |`,
    `| limit (${Math.round(BUDGET_RATIO * 100)}% of ${capacity.cpuMillicores}m / ${capacity.memoryMiB}Mi) | | | | | ${limit.cpuMillicores}m | ${Math.round(limit.memoryMiB)}Mi |`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------
// Collecting lines from what the program declares (Helm release values and Kubernetes workloads).

type Values = Record<string, unknown>;

function at(values: Values, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Values)[key] : undefined), values);
}

/** One pod-producing part of a chart: where its requests live in the values and how many run. */
export interface ChartComponent {
  name: string;
  /** Dotted path of the `resources` block in the chart's values. */
  resources: string;
  replicas: (values: Values, nodeCount: number) => number;
  /** Containers of this component that share the same resources block (e.g. Grafana's sidecars). */
  containers?: (values: Values) => number;
  enabled?: (values: Values) => boolean;
  /** PersistentVolumeClaims this component creates (size of each, how many). */
  volumeClaims?: (values: Values) => { size: string; count: number }[];
}

const one = () => 1;
const daprReplicas = (component: string) => (v: Values) =>
  (at(v, `${component}.replicaCount`) as number | undefined) ?? (at(v, "global.ha.enabled") === true ? 3 : 1);
const notDisabled = (path: string) => (v: Values) => at(v, path) !== false;

/**
 * The pods each chart the platform installs schedules, with the values path of their requests. Jobs
 * that run once at install (cert-manager's startupapicheck, admission-webhook patch jobs) are not
 * counted: they finish before the workloads start and fit in the 20% headroom.
 */
export const CHART_COMPONENTS: Record<string, ChartComponent[]> = {
  dapr: [
    { name: "dapr_operator", resources: "dapr_operator.resources", replicas: daprReplicas("dapr_operator") },
    { name: "dapr_sentry", resources: "dapr_sentry.resources", replicas: daprReplicas("dapr_sentry") },
    { name: "dapr_sidecar_injector", resources: "dapr_sidecar_injector.resources", replicas: daprReplicas("dapr_sidecar_injector") },
    // The placement service runs only for actors/workflows.
    { name: "dapr_placement", resources: "dapr_placement.resources", replicas: daprReplicas("dapr_placement"), enabled: notDisabled("global.actors.enabled") },
    // Always 3: the chart's StatefulSet hard-codes `replicas: 3` (see DAPR_SCHEDULER_REPLICAS); one PVC each.
    {
      name: "dapr_scheduler",
      resources: "dapr_scheduler.resources",
      replicas: () => DAPR_SCHEDULER_REPLICAS,
      volumeClaims: (v) => (at(v, "dapr_scheduler.cluster.inMemoryStorage") === true ? [] : [{ size: String(at(v, "dapr_scheduler.cluster.storageSize") ?? "16Gi"), count: DAPR_SCHEDULER_REPLICAS }]),
    },
  ],
  traefik: [{ name: "traefik", resources: "resources", replicas: (v) => (at(v, "deployment.replicas") as number | undefined) ?? 1 }],
  "cert-manager": [
    { name: "controller", resources: "resources", replicas: (v) => (at(v, "replicaCount") as number | undefined) ?? 1 },
    { name: "webhook", resources: "webhook.resources", replicas: (v) => (at(v, "webhook.replicaCount") as number | undefined) ?? 1 },
    { name: "cainjector", resources: "cainjector.resources", replicas: (v) => (at(v, "cainjector.replicaCount") as number | undefined) ?? 1, enabled: notDisabled("cainjector.enabled") },
  ],
  "kube-prometheus-stack": [
    { name: "prometheus-operator", resources: "prometheusOperator.resources", replicas: one },
    {
      name: "prometheus",
      resources: "prometheus.prometheusSpec.resources",
      replicas: (v) => (at(v, "prometheus.prometheusSpec.replicas") as number | undefined) ?? 1,
      enabled: notDisabled("prometheus.enabled"),
      volumeClaims: (v) => {
        const size = at(v, "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage");
        return size === undefined ? [] : [{ size: String(size), count: (at(v, "prometheus.prometheusSpec.replicas") as number | undefined) ?? 1 }];
      },
    },
    // The operator injects a config-reloader container into the Prometheus and Alertmanager pods.
    {
      name: "config-reloader",
      resources: "prometheusOperator.prometheusConfigReloader.resources",
      replicas: (v) => (at(v, "prometheus.enabled") !== false ? 1 : 0) + (at(v, "alertmanager.enabled") !== false ? 1 : 0),
    },
    { name: "alertmanager", resources: "alertmanager.alertmanagerSpec.resources", replicas: one, enabled: notDisabled("alertmanager.enabled") },
    { name: "grafana", resources: "grafana.resources", replicas: (v) => (at(v, "grafana.replicas") as number | undefined) ?? 1, enabled: notDisabled("grafana.enabled") },
    {
      name: "grafana sidecars",
      resources: "grafana.sidecar.resources",
      replicas: (v) => (at(v, "grafana.replicas") as number | undefined) ?? 1,
      containers: (v) => (at(v, "grafana.sidecar.dashboards.enabled") === true ? 1 : 0) + (at(v, "grafana.sidecar.datasources.enabled") !== false ? 1 : 0),
      enabled: notDisabled("grafana.enabled"),
    },
    { name: "kube-state-metrics", resources: "kube-state-metrics.resources", replicas: one, enabled: notDisabled("kubeStateMetrics.enabled") },
    // A DaemonSet: one pod per node.
    { name: "node-exporter", resources: "prometheus-node-exporter.resources", replicas: (_v, nodes) => nodes, enabled: notDisabled("nodeExporter.enabled") },
  ],
};

/** Budget lines of one Helm release; throws for an unknown chart or a component without requests. */
export function chartLines(chart: string, values: Values, nodeCount: number): BudgetLine[] {
  const components = CHART_COMPONENTS[chart];
  if (!components) throw new Error(`chart "${chart}": unknown to the budget; add its components to CHART_COMPONENTS in policy/budget.ts`);
  return components
    .filter((c) => c.enabled?.(values) ?? true)
    .map((c) => {
      const containers = c.containers?.(values) ?? 1;
      const each = requestsOf(at(values, c.resources), `${chart}/${c.name} (values.${c.resources})`);
      return {
        component: `${chart}/${c.name}`,
        source: "chart" as const,
        replicas: c.replicas(values, nodeCount),
        perReplica: { cpuMillicores: each.cpuMillicores * containers, memoryMiB: each.memoryMiB * containers },
      };
    })
    .filter((l) => l.replicas > 0 && (l.perReplica.cpuMillicores > 0 || l.perReplica.memoryMiB > 0));
}

interface PodSpecLike {
  containers?: { name: string; resources?: unknown }[];
  initContainers?: { name: string; resources?: unknown }[];
}

/** `maxReplicas` of every HPA by the name of the workload it scales (same namespace assumed). */
export function hpaMaxReplicas(hpas: { spec?: { scaleTargetRef?: { name?: string }; maxReplicas?: number } }[]): Map<string, number> {
  const max = new Map<string, number>();
  for (const h of hpas) {
    const target = h.spec?.scaleTargetRef?.name;
    if (!target || typeof h.spec?.maxReplicas !== "number") throw new Error(`HPA without scaleTargetRef.name or maxReplicas: ${JSON.stringify(h.spec)}`);
    max.set(target, Math.max(max.get(target) ?? 0, h.spec.maxReplicas));
  }
  return max;
}

/**
 * Budget lines of a Deployment/StatefulSet/DaemonSet manifest (at `autoscaledTo` replicas when an HPA
 * may scale it that far): its containers (an init container
 * counts where it is larger than the sum of the containers, as the scheduler does) and, when Dapr
 * injects a sidecar, the sidecar from the `dapr.io/sidecar-*-request` annotations.
 */
export function workloadLines(kind: string, manifest: { metadata?: { name?: string }; spec?: Values }, nodeCount: number, autoscaledTo?: number): BudgetLine[] {
  const name = manifest.metadata?.name ?? "(unnamed)";
  const spec = manifest.spec ?? {};
  // An autoscaled workload is budgeted at its HPA maximum: scale-out must not be what breaks the node.
  const declared = kind === "DaemonSet" ? nodeCount : ((spec.replicas as number | undefined) ?? 1);
  const replicas = Math.max(declared, autoscaledTo ?? 0);
  const template = (spec.template ?? {}) as { metadata?: { annotations?: Record<string, string> }; spec?: PodSpecLike };
  const pod = template.spec ?? {};
  const containers = (pod.containers ?? []).map((c) => requestsOf(c.resources, `${kind} ${name}, container ${c.name}`));
  const inits = (pod.initContainers ?? []).map((c) => requestsOf(c.resources, `${kind} ${name}, init container ${c.name}`));
  const sum = containers.reduce((a, b) => ({ cpuMillicores: a.cpuMillicores + b.cpuMillicores, memoryMiB: a.memoryMiB + b.memoryMiB }), { cpuMillicores: 0, memoryMiB: 0 });
  const perReplica = {
    cpuMillicores: Math.max(sum.cpuMillicores, ...inits.map((i) => i.cpuMillicores)),
    memoryMiB: Math.max(sum.memoryMiB, ...inits.map((i) => i.memoryMiB)),
  };
  const lines: BudgetLine[] = [{ component: `${name}`, source: "app", replicas, perReplica }];
  const annotations = template.metadata?.annotations ?? {};
  if (annotations["dapr.io/enabled"] === "true") {
    const cpu = annotations["dapr.io/sidecar-cpu-request"];
    const memory = annotations["dapr.io/sidecar-memory-request"];
    if (!cpu || !memory) throw new Error(`${kind} ${name}: Dapr sidecar without dapr.io/sidecar-cpu-request and dapr.io/sidecar-memory-request`);
    lines.push({ component: `${name}/daprd`, source: "sidecar", replicas, perReplica: { cpuMillicores: parseCpu(cpu), memoryMiB: parseMemory(memory) } });
  }
  return lines;
}

/**
 * A CronJob's pod, budgeted as one replica while it runs (the backup job: concurrencyPolicy Forbid,
 * so never two at once); its init container counts as in {@link workloadLines}.
 */
export function cronJobLines(manifest: { metadata?: { name?: string }; spec?: Values }, nodeCount: number): BudgetLine[] {
  const template = at(manifest.spec ?? {}, "jobTemplate.spec.template") as Values | undefined;
  return workloadLines("CronJob", { metadata: manifest.metadata, spec: { replicas: 1, template } }, nodeCount);
}

// ---------------------------------------------------------------------------------------------------
// Storage: every PVC lands on the node's boot volume (k3s local-path provisioner, /var/lib/rancher).

export interface VolumeLine {
  /** Who claims it, e.g. `dapr/dapr_scheduler` or `StatefulSet postgres`. */
  component: string;
  count: number;
  /** Size of each claim in GiB. */
  eachGiB: number;
}

/** PVCs a chart creates with these values (the Dapr scheduler's three, Prometheus's one). */
export function chartVolumeLines(chart: string, values: Values): VolumeLine[] {
  return (CHART_COMPONENTS[chart] ?? [])
    .filter((c) => c.enabled?.(values) ?? true)
    .flatMap((c) => (c.volumeClaims?.(values) ?? []).map((v) => ({ component: `${chart}/${c.name}`, count: v.count, eachGiB: parseMemory(v.size) / 1024 })));
}

/** PVCs of a StatefulSet manifest: one per replica per volumeClaimTemplate. */
export function statefulSetVolumeLines(manifest: { metadata?: { name?: string }; spec?: Values }): VolumeLine[] {
  const spec = manifest.spec ?? {};
  const templates = (spec.volumeClaimTemplates ?? []) as { metadata?: { name?: string }; spec?: { resources?: { requests?: { storage?: string } } } }[];
  return templates.map((t) => ({
    component: `StatefulSet ${manifest.metadata?.name}/${t.metadata?.name}`,
    count: (spec.replicas as number | undefined) ?? 1,
    eachGiB: parseMemory(t.spec?.resources?.requests?.storage ?? "0") / 1024,
  }));
}

/** Room on a boot volume left for the OS, k3s, container images and logs before PVCs. */
export const BOOT_VOLUME_SYSTEM_GIB = 30;

export function sumVolumes(lines: VolumeLine[]): { claims: number; totalGiB: number } {
  return { claims: lines.reduce((s, l) => s + l.count, 0), totalGiB: lines.reduce((s, l) => s + l.count * l.eachGiB, 0) };
}
