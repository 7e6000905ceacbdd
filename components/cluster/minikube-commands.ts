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
 * Run on EVERY `pulumi up`/`preview` (an invoke, not a resource): the Docker driver on macOS/Windows
 * forwards the API server to a new 127.0.0.1 port after each restart, so a kubeconfig saved in the
 * state goes stale. `minikube update-context` rewrites the context to the current endpoint; then it
 * waits until every node is Ready and prints the kubeconfig with the credentials inlined (`--flatten`),
 * so the k8s.Provider does not depend on files under ~/.minikube at run time. Everything but the
 * kubeconfig goes to stderr.
 */
export function kubeconfigCommand(profile: string): string {
  return [
    `minikube -p ${q(profile)} update-context >&2`,
    `kubectl --context ${q(profile)} wait --for=condition=Ready nodes --all --timeout=300s >&2`,
    `kubectl config view --raw --flatten --minify --context ${q(profile)}`,
  ].join(" && ");
}

/**
 * The settings minikube only applies when it creates the node: on an existing profile
 * `minikube start --cpus/--memory` prints a warning and keeps the old values
 * (kubernetes/minikube cmd/minikube/cmd/start_flags.go, `validateChangedMemoryFlags`/"You cannot change
 * the CPUs for an existing minikube cluster"). A change of one of these recreates the profile on purpose.
 */
export function recreateTriggers(m: MinikubeSettings): (string | number)[] {
  return [m.profile, m.driver, m.kubernetesVersion, m.cni, m.cpus, m.memoryMb];
}
