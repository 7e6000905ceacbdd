import type * as k8s from "@pulumi/kubernetes";
import { apps, type AppDefinition } from "@todo/contracts/topology";
import { DAPR_POD_LABEL, DAPR_SIDECAR_PORTS, INGRESS_POD_LABEL, selectorLabels } from "./workload-manifests";
import { PART_OF, commonLabels } from "@todo/contracts/labels";

/**
 * Pure builders of the app namespace's guard rails: default-deny NetworkPolicy plus exactly the
 * allowed flows, ResourceQuota and LimitRange.
 */

export interface NetworkPolicyOptions {
  namespace: string;
  ingressControllerNamespace: string;
  daprNamespace: string;
  monitoringNamespace: string;
  dataNamespace: string;
  /** In-cluster stores the apps reach: port per store (PostgreSQL, Redis or Redpanda). */
  dataPorts: number[];
  /** Brokers/databases outside the cluster (Redpanda Cloud, external PostgreSQL): TCP ports to any address. */
  externalPorts: number[];
  /** cert-manager's HTTP-01 solver pods run in this namespace and must be reachable by Traefik. */
  acmeSolver: boolean;
}

/**
 * Pod ports of the Dapr 1.18 control plane that sidecars dial (dapr/dapr charts/dapr/charts/*): sentry
 * (Service 443 → 50001, certificates), operator (`dapr-api` 443 → 6500, components and subscriptions),
 * scheduler (50006, the Jobs API), placement (50005, only with actors, which this install disables).
 */
export const DAPR_CONTROL_PLANE_PORTS = { sentry: 50001, operator: 6500, scheduler: 50006, placement: 50005 } as const;
/** Where `kubernetes.default` lands after DNAT: 443 (most clusters), 6443 (k3s), 8443 (Minikube). */
export const KUBE_APISERVER_PORTS = [443, 6443, 8443];

const nsSelector = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
const tcp = (port: number) => ({ protocol: "TCP", port });
const labels = { ...commonLabels };

function policy(o: NetworkPolicyOptions, name: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) {
  return { apiVersion: "networking.k8s.io/v1" as const, kind: "NetworkPolicy" as const, metadata: { name, namespace: o.namespace, labels }, spec };
}

const exposed = (a: AppDefinition) => Boolean(a.ingressPath || a.extraIngressPaths?.length);

export function networkPolicies(o: NetworkPolicyOptions) {
  const daprPods = { matchLabels: { [DAPR_POD_LABEL]: "true" } };
  const result = [
    // Nothing in, nothing out, unless a policy below allows it.
    policy(o, "default-deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy(o, "allow-dns-egress", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ...nsSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, tcp(53)] }],
    }),
    // Traefik → the public services, on their app ports only.
    ...apps.filter(exposed).map((a) =>
      policy(o, `allow-ingress-controller-to-${a.id}`, {
        podSelector: { matchLabels: { ...selectorLabels(a.id), [INGRESS_POD_LABEL]: "true" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [nsSelector(o.ingressControllerNamespace)], ports: [tcp(a.port)] }],
      }),
    ),
    // Sidecar ↔ sidecar: service invocation crosses pods only on daprd's internal gRPC port (50002);
    // the app ↔ its own sidecar traffic (3500/50001) stays on localhost and needs no rule.
    policy(o, "allow-dapr-sidecars", {
      podSelector: daprPods,
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: daprPods }], ports: [tcp(DAPR_SIDECAR_PORTS.internalGrpc)] }],
      egress: [{ to: [{ podSelector: daprPods }], ports: [tcp(DAPR_SIDECAR_PORTS.internalGrpc)] }],
    }),
    // Sidecars → control plane (pod ports, as policies see traffic after the Service DNAT) and the
    // Kubernetes API (the Kubernetes secret store reads `jwt-secret` with the pod's token).
    policy(o, "allow-dapr-control-plane", {
      podSelector: daprPods,
      policyTypes: ["Egress"],
      egress: [
        { to: [nsSelector(o.daprNamespace)], ports: Object.values(DAPR_CONTROL_PLANE_PORTS).map(tcp) },
        // The API server is not a pod and its address differs per cluster, so this rule names ports only:
        // kubernetes.default:443 is DNATed to Minikube's 8443 or k3s's 6443 before the policy applies.
        { ports: KUBE_APISERVER_PORTS.map(tcp) },
      ],
    }),
    // Prometheus scrapes /metrics on the app port and the sidecar's metrics port.
    policy(o, "allow-prometheus-scrape", {
      podSelector: { matchLabels: { "app.kubernetes.io/part-of": PART_OF } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [nsSelector(o.monitoringNamespace)], ports: [...new Set(apps.map((a) => a.port))].map(tcp).concat(tcp(DAPR_SIDECAR_PORTS.metrics)) }],
    }),
    // Apps and their sidecars → PostgreSQL / Redis / Redpanda in the data namespace.
    policy(o, "allow-data-stores", {
      podSelector: daprPods,
      policyTypes: ["Egress"],
      egress: [
        { to: [nsSelector(o.dataNamespace)], ports: o.dataPorts.map(tcp) },
        ...(o.externalPorts.length ? [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: o.externalPorts.map(tcp) }] : []),
      ],
    }),
  ];
  if (o.acmeSolver) {
    result.push(
      policy(o, "allow-acme-http01-solver", {
        podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [nsSelector(o.ingressControllerNamespace)], ports: [tcp(8089)] }],
      }),
    );
  }
  return result;
}

export interface QuotaOptions {
  namespace: string;
  /** Sum of the limits of every pod at its maximum replica count (apps + sidecars). */
  cpuLimits: number;
  memoryLimitsMi: number;
  cpuRequests: number;
  memoryRequestsMi: number;
  pods: number;
}

export function resourceQuota(o: QuotaOptions) {
  // Headroom for rolling updates (maxSurge 1 per Deployment) and cert-manager solver pods.
  const head = 1.5;
  return {
    apiVersion: "v1" as const,
    kind: "ResourceQuota" as const,
    metadata: { name: "todo-quota", namespace: o.namespace, labels },
    spec: {
      hard: {
        "requests.cpu": `${Math.ceil(o.cpuRequests * head * 1000)}m`,
        "requests.memory": `${Math.ceil(o.memoryRequestsMi * head)}Mi`,
        "limits.cpu": `${Math.ceil(o.cpuLimits * head * 1000)}m`,
        "limits.memory": `${Math.ceil(o.memoryLimitsMi * head)}Mi`,
        pods: String(Math.ceil(o.pods * head)),
        services: "20",
        persistentvolumeclaims: "0",
      },
    },
  };
}

/** Defaults for any container that states no resources (e.g. solver pods), and a ceiling per container. */
export function limitRange(namespace: string) {
  return {
    apiVersion: "v1" as const,
    kind: "LimitRange" as const,
    metadata: { name: "todo-limits", namespace, labels },
    spec: {
      limits: [
        {
          type: "Container",
          default: { cpu: "200m", memory: "128Mi" },
          defaultRequest: { cpu: "10m", memory: "32Mi" },
          max: { cpu: "2", memory: "2Gi" },
        },
      ],
    },
  };
}
