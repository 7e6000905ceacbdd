import { apps } from "../../services/shared/src/topology";
import { PART_OF } from "./workload-manifests";

export interface IngressOptions<Host = string> {
  namespace: string;
  /** A string, or a Pulumi Output when the host derives from the cluster's public IP. */
  host: Host;
  ingressClassName: string;
  /** Cloud: the ClusterIssuer that cert-manager uses for this host's certificate. */
  tls?: { clusterIssuer: string; secretName: string };
}

export interface IngressRoute {
  path: string;
  service: string;
  port: number;
}

/** Routes from topology.ts, longest prefix first: `/api/notifications` → notification before `/api` → backend. */
export function ingressRoutes(): IngressRoute[] {
  const routes = apps.flatMap((a) => [
    ...(a.ingressPath ? [{ path: a.ingressPath, service: a.id, port: a.port }] : []),
    ...(a.extraIngressPaths ?? []).map((path) => ({ path, service: a.id, port: a.port })),
  ]);
  return routes.sort((x, y) => y.path.length - x.path.length);
}

export function ingressManifest<Host>(o: IngressOptions<Host>) {
  return {
    apiVersion: "networking.k8s.io/v1" as const,
    kind: "Ingress" as const,
    metadata: {
      name: "todo",
      namespace: o.namespace,
      labels: { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": "pulumi" },
      annotations: (o.tls
        ? {
            "cert-manager.io/cluster-issuer": o.tls.clusterIssuer,
            "traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
            "traefik.ingress.kubernetes.io/router.tls": "true",
          }
        : { "traefik.ingress.kubernetes.io/router.entrypoints": "web" }) as Record<string, string>,
    },
    spec: {
      ingressClassName: o.ingressClassName,
      ...(o.tls ? { tls: [{ hosts: [o.host], secretName: o.tls.secretName }] } : {}),
      rules: [
        {
          host: o.host,
          http: {
            paths: ingressRoutes().map((r) => ({
              path: r.path,
              pathType: "Prefix",
              backend: { service: { name: r.service, port: { number: r.port } } },
            })),
          },
        },
      ],
    },
  };
}
