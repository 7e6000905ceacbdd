import { apps } from "@todo/contracts/topology";
import { commonLabels } from "@todo/contracts/labels";

export interface IngressOptions<Host = string> {
  namespace: string;
  /** A string, or a Pulumi Output when the host derives from the cluster's public IP. */
  host: Host;
  ingressClassName: string;
  /**
   * Cloud: the ClusterIssuer that cert-manager uses for this host's certificate, and the Traefik
   * Middleware (see {@link httpsRedirectMiddlewareManifest}, same namespace) that sends plain HTTP to HTTPS.
   */
  tls?: { clusterIssuer: string; secretName: string; httpsRedirectMiddleware: string };
}

/** Name of the app namespace's Middleware that redirects plain HTTP to HTTPS (cloud only). */
export const HTTPS_REDIRECT_MIDDLEWARE = "redirect-https";

/**
 * How an Ingress annotation names a Middleware CR: Traefik's kubernetescrd provider prefixes the
 * object's namespace, so `<namespace>-<name>@kubernetescrd`.
 */
export function traefikMiddlewareReference(namespace: string, name: string): string {
  return `${namespace}-${name}@kubernetescrd`;
}

/** A Traefik Middleware (CRD from the Traefik chart) answering plain HTTP with a permanent redirect to HTTPS. */
export function httpsRedirectMiddlewareManifest(o: { namespace: string; name: string }) {
  return {
    apiVersion: "traefik.io/v1alpha1" as const,
    kind: "Middleware" as const,
    metadata: { name: o.name, namespace: o.namespace, labels: { ...commonLabels } },
    // Traefik answers 308 (permanent, method kept) for non-GET requests and 301 for GET.
    spec: { redirectScheme: { scheme: "https" as const, permanent: true } },
  };
}

/**
 * Traefik annotations of the app Ingress. With TLS, its routers listen on both entry points: on
 * `websecure` they get TLS from the entry point (the chart's `ports.websecure.tls.enabled`) and on `web`
 * they only redirect. No `router.tls` annotation: it would make the routers TLS-only on `web` too, and
 * plain HTTP would find no router (404) instead of the redirect. The redirect is a no-op for requests
 * that already are HTTPS. cert-manager's HTTP-01 solver gets its own Ingress (created by cert-manager,
 * without this middleware) whose exact `/.well-known/acme-challenge/<token>` rule is longer, so of higher
 * priority, than these routes: the challenge is still answered over plain HTTP.
 */
export function ingressAnnotations(o: Pick<IngressOptions<unknown>, "namespace" | "tls">): Record<string, string> {
  if (!o.tls) return { "traefik.ingress.kubernetes.io/router.entrypoints": "web" };
  return {
    "cert-manager.io/cluster-issuer": o.tls.clusterIssuer,
    "traefik.ingress.kubernetes.io/router.entrypoints": "web,websecure",
    "traefik.ingress.kubernetes.io/router.middlewares": traefikMiddlewareReference(o.namespace, o.tls.httpsRedirectMiddleware),
  };
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
      labels: { ...commonLabels },
      annotations: ingressAnnotations(o),
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
