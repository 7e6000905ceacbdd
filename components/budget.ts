// What the cloud nodes reserve outside any pod (kubelet `--kube-reserved` / `--system-reserved`, set
// by components/cluster). The cloud budget (policy/budget.ts) counts the same figures, so pods cannot
// be budgeted into room the node keeps for itself.

export interface Requests {
  cpuMillicores: number;
  memoryMiB: number;
}

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
