import { parse as parseYaml } from "yaml";
import { scrapeJobs } from "../../dashboards/src/scrape-jobs";
import { PART_OF } from "@todo/contracts/labels";

/**
 * The Kubernetes objects of the Observability component, as pure functions of plain values, so the
 * tests validate exactly what the program creates against the CRD/core schemas.
 */

/** The label every Todo Platform workload carries (set by the app component on its pods). */

/** What the Dapr 1.18 sidecar injector puts on a pod it injected, and the sidecar's metrics port name. */
export const DAPR_INJECTED_LABEL = "dapr.io/sidecar-injected";
export const DAPR_METRICS_PORT = "dapr-metrics";

/** `app` labels of the Dapr Helm chart's control-plane pods; each exposes a port named `metrics`. */
export const DAPR_CONTROL_PLANE_APPS = ["dapr-operator", "dapr-sentry", "dapr-sidecar-injector", "dapr-placement-server", "dapr-scheduler-server"] as const;

export const SCRAPE_INTERVAL = "30s";

interface ObjectMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

function meta(name: string, namespace: string, extra: Record<string, string> = {}): ObjectMeta {
  return { name, namespace, labels: { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/component": "observability", ...extra } };
}

/** Prometheus-operator writes `job` as `<namespace>/<monitor>`; ours are fixed so rules can name them. */
function jobRelabeling(job: string) {
  return { action: "replace" as const, targetLabel: "job", replacement: job };
}

/** One dashboard as a ConfigMap the Grafana sidecar loads (label `grafana_dashboard: "1"`). */
export function dashboardConfigMap(o: { name: string; namespace: string; file: string; json: string }) {
  return {
    apiVersion: "v1" as const,
    kind: "ConfigMap" as const,
    metadata: meta(o.name, o.namespace, { grafana_dashboard: "1" }),
    data: { [o.file]: o.json },
  };
}

interface RuleGroup {
  name: string;
  rules: Array<{ alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }>;
}

/**
 * The rule file's groups, with each repository-relative `runbook_url` (`docs/RUNBOOKS.md#...`)
 * turned into a link under `runbookBaseUrl` when one is given (e.g. the repository's blob URL).
 */
export function alertRuleGroups(rulesYaml: string, runbookBaseUrl?: string): RuleGroup[] {
  const doc = parseYaml(rulesYaml) as { groups?: RuleGroup[] };
  if (!doc?.groups?.length) throw new Error("the alert rule file has no groups");
  const base = runbookBaseUrl?.replace(/\/+$/, "");
  return doc.groups.map((g) => ({
    name: g.name,
    rules: g.rules.map((r) => {
      const url = r.annotations?.runbook_url;
      if (!base || !url || /^https?:\/\//.test(url)) return r;
      return { ...r, annotations: { ...r.annotations, runbook_url: `${base}/${url}` } };
    }),
  }));
}

export function prometheusRule(o: { name: string; namespace: string; rulesYaml: string; runbookBaseUrl?: string }) {
  return {
    apiVersion: "monitoring.coreos.com/v1" as const,
    kind: "PrometheusRule" as const,
    metadata: meta(o.name, o.namespace),
    spec: { groups: alertRuleGroups(o.rulesYaml, o.runbookBaseUrl) },
  };
}

/** The services' own `/metrics` on their `http` port, in the app namespace. */
export function servicesPodMonitor(o: { name: string; namespace: string; appNamespace: string }) {
  return {
    apiVersion: "monitoring.coreos.com/v1" as const,
    kind: "PodMonitor" as const,
    metadata: meta(o.name, o.namespace),
    spec: {
      namespaceSelector: { matchNames: [o.appNamespace] },
      selector: { matchLabels: { "app.kubernetes.io/part-of": PART_OF } },
      podMetricsEndpoints: [{ port: "http", path: "/metrics", interval: SCRAPE_INTERVAL, relabelings: [jobRelabeling(scrapeJobs.services)] }],
    },
  };
}

/**
 * Every daprd sidecar in the app namespace: pods the injector labelled, port `dapr-metrics`. The
 * sidecar's metrics carry their own `app_id` label; the container label tells sidecar from app.
 */
export function daprSidecarPodMonitor(o: { name: string; namespace: string; appNamespace: string }) {
  return {
    apiVersion: "monitoring.coreos.com/v1" as const,
    kind: "PodMonitor" as const,
    metadata: meta(o.name, o.namespace),
    spec: {
      namespaceSelector: { matchNames: [o.appNamespace] },
      selector: { matchLabels: { [DAPR_INJECTED_LABEL]: "true" } },
      podMetricsEndpoints: [{ port: DAPR_METRICS_PORT, path: "/", interval: SCRAPE_INTERVAL, relabelings: [jobRelabeling(scrapeJobs.daprSidecars)] }],
    },
  };
}

/** operator, sentry, injector, placement and scheduler in the Dapr namespace (port `metrics`). */
export function daprControlPlanePodMonitor(o: { name: string; namespace: string; daprNamespace: string }) {
  return {
    apiVersion: "monitoring.coreos.com/v1" as const,
    kind: "PodMonitor" as const,
    metadata: meta(o.name, o.namespace),
    spec: {
      namespaceSelector: { matchNames: [o.daprNamespace] },
      selector: { matchExpressions: [{ key: "app", operator: "In", values: [...DAPR_CONTROL_PLANE_APPS] }] },
      podMetricsEndpoints: [{ port: "metrics", path: "/", interval: SCRAPE_INTERVAL, relabelings: [jobRelabeling(scrapeJobs.daprControlPlane)] }],
    },
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The name of the first arg that is not a valid namespace name, or undefined when all are. */
export function invalidNamespaceArg(args: Record<string, string>): string | undefined {
  return Object.entries(args).find(([, v]) => typeof v !== "string" || !DNS_LABEL.test(v))?.[0];
}
