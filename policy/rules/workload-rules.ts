import { workloadOf } from "./containers";
import type { ResourceRule } from "./types";

/** Containers never run as root: runAsNonRoot, or a non-zero runAsUser, on the container or its pod. */
export const nonRootContainers: ResourceRule = {
  name: "containers-run-as-non-root",
  description: "Every container runs as a non-root user (securityContext.runAsNonRoot or a non-zero runAsUser).",
  check(resource) {
    const w = workloadOf(resource);
    if (!w) return [];
    return w.containers.flatMap(({ container, label }) => {
      const user = container.securityContext?.runAsUser ?? w.pod.securityContext?.runAsUser;
      const nonRoot = container.securityContext?.runAsNonRoot ?? w.pod.securityContext?.runAsNonRoot;
      if (user === 0) return [`${label} runs as user 0 (root)`];
      if (typeof user === "number" || nonRoot === true) return [];
      return [`${label} may run as root: set securityContext.runAsNonRoot: true (and a runAsUser) on it or its pod`];
    });
  },
};

/** CPU and memory limits on every container: one runaway pod must not take the single node down. */
export const containerLimits: ResourceRule = {
  name: "containers-have-limits",
  description: "Every container has CPU and memory limits (and requests, which the budget counts).",
  check(resource) {
    const w = workloadOf(resource);
    if (!w) return [];
    return w.containers.flatMap(({ container, label }) => {
      const missing = [
        ...["cpu", "memory"].filter((k) => container.resources?.limits?.[k] === undefined).map((k) => `limits.${k}`),
        ...["cpu", "memory"].filter((k) => container.resources?.requests?.[k] === undefined).map((k) => `requests.${k}`),
      ];
      return missing.length ? [`${label} has no ${missing.join(", ")}`] : [];
    });
  },
};

/** Long-running containers have readiness and liveness probes; Jobs and init containers need none. */
export const containerProbes: ResourceRule = {
  name: "containers-have-probes",
  description: "Every container of a Deployment, StatefulSet or DaemonSet has a readiness and a liveness probe.",
  check(resource) {
    const w = workloadOf(resource);
    if (!w?.longRunning) return [];
    return w.containers
      .filter((c) => !c.init)
      .flatMap(({ container, label }) => {
        const missing = (["readinessProbe", "livenessProbe"] as const).filter((p) => !container[p]);
        return missing.length ? [`${label} has no ${missing.join(" and ")}`] : [];
      });
  },
};
