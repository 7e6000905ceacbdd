import { apps, type AppId } from "@todo/contracts/topology";

export interface IngressRoute {
  prefix: string;
  appId: AppId;
}

/**
 * The ingress's path table, built from topology.ts like the cluster Ingress: each public app's
 * `ingressPath` and `extraIngressPaths`, longest prefix first (`/api/notifications` before `/api`
 * before `/`).
 */
export function ingressRoutes(): IngressRoute[] {
  const routes: IngressRoute[] = [];
  for (const a of apps) {
    if (a.ingressPath) routes.push({ prefix: a.ingressPath, appId: a.id });
    for (const extra of a.extraIngressPaths ?? []) routes.push({ prefix: extra, appId: a.id });
  }
  return routes.sort((x, y) => y.prefix.length - x.prefix.length);
}

/** Paths the ingress never forwards: service-to-service routes live under /internal. */
export function isInternalPath(path: string): boolean {
  return path === "/internal" || path.startsWith("/internal/");
}

/** The app a request path goes to, or undefined (404). A prefix matches whole path segments only. */
export function routeFor(routes: readonly IngressRoute[], path: string): AppId | undefined {
  if (isInternalPath(path)) return undefined;
  for (const r of routes) {
    if (r.prefix === "/" || path === r.prefix || path.startsWith(`${r.prefix}/`)) return r.appId;
  }
  return undefined;
}
