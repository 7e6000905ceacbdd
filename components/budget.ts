// The cloud budget: everything the cloud stack schedules must request at most 80% of the Always Free
// A1 allowance (2 OCPU / 12 GB). Pure: the lines come from the program under mocks (see
// test/stacks/cloud-budget.isolated.test.ts) plus the documented k3s constants below.

export interface Requests {
  cpuMillicores: number;
  memoryMiB: number;
}

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
 * The k3s server process (API server, scheduler, controllers, kine/SQLite, containerd, kubelet) runs
 * outside any pod. https://docs.k3s.io/reference/resource-profiling measures "K3s server with a
 * workload" at 30% of a core on a Pi4 (6% on a Xeon) and 1596 M of RAM; rounded up for an A1 core.
 * The same figure is reserved on the node with kubelet's `--kube-reserved`, so pods cannot starve it.
 */
export const K3S_SERVER_PROCESS: Requests = { cpuMillicores: 300, memoryMiB: 1600 };
/** Same page, "K3s agent": 10% of a core (Pi4), 275 M. Reserved on each agent node. */
export const K3S_AGENT_PROCESS: Requests = { cpuMillicores: 100, memoryMiB: 300 };
/** Reserved for the OS (sshd, cloud-init, Oracle Cloud Agent) with kubelet's `--system-reserved`. */
export const OS_RESERVED: Requests = { cpuMillicores: 100, memoryMiB: 256 };

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

/** Kubernetes CPU quantity → millicores (`100m`, `0.5`, `1`, 2). */
export function parseCpu(quantity: string | number): number {
  if (typeof quantity === "number") return Math.round(quantity * 1000);
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!m) throw new Error(`not a CPU quantity: "${quantity}"`);
  return m[2] === "m" ? Math.round(Number(m[1])) : Math.round(Number(m[1]) * 1000);
}

const MEMORY_UNITS: Record<string, number> = {
  "": 1 / (1024 * 1024),
  k: 1000 / (1024 * 1024),
  M: 1e6 / (1024 * 1024),
  G: 1e9 / (1024 * 1024),
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
};

/** Kubernetes memory quantity → MiB (`128Mi`, `1Gi`, `500M`, bytes). */
export function parseMemory(quantity: string | number): number {
  if (typeof quantity === "number") return quantity / (1024 * 1024);
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(quantity.trim());
  if (!m) throw new Error(`not a memory quantity: "${quantity}"`);
  return Number(m[1]) * MEMORY_UNITS[m[2] ?? ""];
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
