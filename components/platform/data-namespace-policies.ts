import type * as k8s from "@pulumi/kubernetes";
import { commonLabels } from "@todo/contracts/labels";

/**
 * The data namespace's NetworkPolicies. The platform creates that namespace and its stores, so their
 * guard rails live here; the app namespace's own policies stay in components/app/namespace-policies.ts.
 */

const labels = { ...commonLabels };
const nsSelector = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
const tcp = (port: number) => ({ protocol: "TCP", port });

/** Data namespace: only the app namespace reaches the stores (and Prometheus nothing here). */
export function dataNamespacePolicies(dataNamespace: string, appNamespace: string, ports: number[]) {
  const meta = (name: string) => ({ name, namespace: dataNamespace, labels });
  return [
    { apiVersion: "networking.k8s.io/v1" as const, kind: "NetworkPolicy" as const, metadata: meta("default-deny-ingress"), spec: { podSelector: {}, policyTypes: ["Ingress"] } as k8s.types.input.networking.v1.NetworkPolicySpec },
    {
      apiVersion: "networking.k8s.io/v1" as const,
      kind: "NetworkPolicy" as const,
      metadata: meta("allow-app-namespace"),
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [nsSelector(appNamespace), nsSelector(dataNamespace)], ports: ports.map(tcp) }],
      },
    },
  ];
}
