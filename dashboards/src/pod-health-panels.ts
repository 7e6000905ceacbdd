import type { PanelSpec } from "./grafana";

/** Pod readiness, restarts and resource use for the pods whose name starts with one of `apps`. */
export function podHealthPanels(apps: readonly string[]): PanelSpec[] {
  const pods = `namespace="$namespace", pod=~"(${apps.join("|")})-.+"`;
  return [
    {
      title: "Ready pods",
      description: "Pods whose Ready condition is true (kube-state-metrics).",
      unit: "short",
      width: 8,
      queries: [{ expr: `sum by (pod) (kube_pod_status_ready{${pods}, condition="true"})`, legend: "{{pod}}" }],
      min: 0,
      max: 1,
    },
    {
      title: "Container restarts (1h)",
      description: "Restarts per container in the last hour; a rising line is a crash loop.",
      unit: "short",
      width: 8,
      redAt: 3,
      queries: [{ expr: `sum by (pod, container) (increase(kube_pod_container_status_restarts_total{${pods}}[1h]))`, legend: "{{pod}}/{{container}}" }],
    },
    {
      title: "Available replicas",
      description: "Available replicas against the desired count, per Deployment.",
      unit: "short",
      width: 8,
      queries: [
        { expr: `sum by (deployment) (kube_deployment_status_replicas_available{namespace="$namespace", deployment=~"${apps.join("|")}"})`, legend: "{{deployment}} available" },
        { expr: `sum by (deployment) (kube_deployment_spec_replicas{namespace="$namespace", deployment=~"${apps.join("|")}"})`, legend: "{{deployment}} desired" },
      ],
    },
    {
      title: "CPU",
      description: "CPU used per container (cAdvisor), app and daprd side by side.",
      unit: "cores",
      queries: [{ expr: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{${pods}, container!="", container!="POD"}[$__rate_interval]))`, legend: "{{pod}}/{{container}}" }],
    },
    {
      title: "Memory working set",
      description: "Memory the kernel counts against the container limit (cAdvisor).",
      unit: "bytes",
      queries: [{ expr: `sum by (pod, container) (container_memory_working_set_bytes{${pods}, container!="", container!="POD"})`, legend: "{{pod}}/{{container}}" }],
    },
  ];
}
