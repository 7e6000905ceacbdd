/** The Minikube CLI calls of the local cluster, as pure functions (tested without a Minikube). */

export interface MinikubeSettings {
  /** Name of the dedicated profile (also the kube context): created on up, deleted on destroy. */
  profile: string;
  /** Minikube driver, e.g. `docker`. */
  driver: string;
  /** CPUs and memory (MB) given to the node. */
  cpus: number;
  memoryMb: number;
  /** Pinned Kubernetes version, e.g. `v1.33.1`. */
  kubernetesVersion: string;
  /** A CNI that enforces NetworkPolicies (`calico`). */
  cni: string;
  /** Addons to enable, e.g. `metrics-server` (never `ingress`: the stack installs Traefik). */
  addons: string[];
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Starts (or re-starts, idempotently) the dedicated profile and waits for every component. */
export function minikubeStartCommand(m: MinikubeSettings): string {
  return [
    "minikube start",
    `-p ${q(m.profile)}`,
    `--driver=${q(m.driver)}`,
    `--cpus=${m.cpus}`,
    `--memory=${m.memoryMb}mb`,
    `--kubernetes-version=${q(m.kubernetesVersion)}`,
    `--cni=${q(m.cni)}`,
    ...(m.addons.length ? [`--addons=${q(m.addons.join(","))}`] : []),
    "--wait=all",
  ].join(" ");
}

export function minikubeDeleteCommand(profile: string): string {
  return `minikube delete -p ${q(profile)}`;
}

/**
 * Waits until every node is Ready, then prints the profile's kubeconfig with the credentials inlined
 * (`--flatten`), so the k8s.Provider does not depend on files under ~/.minikube at run time.
 */
export function kubeconfigCommand(profile: string): string {
  return [
    `kubectl --context ${q(profile)} wait --for=condition=Ready nodes --all --timeout=300s >&2`,
    `kubectl config view --raw --flatten --minify --context ${q(profile)}`,
  ].join(" && ");
}
