/**
 * Metrics the dashboards and alert rules may query that our services do NOT export: each one comes
 * from a component the cluster runs, named here with where it is defined. The connectivity test
 * (test/observability) accepts a referenced metric only if a service's live `/metrics` has it or it is
 * listed here, so a panel on a metric nobody emits fails CI instead of staying empty in Grafana.
 *
 * Dapr metrics are OpenCensus views exported by daprd and the control plane: the view name with `/`
 * replaced by `_` and a `dapr_` prefix; "count" views keep their name (no `_total`), latency views are
 * histograms in milliseconds.
 */

export type MetricType = "counter" | "gauge" | "histogram" | "summary";

export interface ExternalMetric {
  name: string;
  type: MetricType;
  /** Where the metric is defined (exporter and source file or doc). */
  source: string;
}

const daprComponent = "Dapr 1.18 daprd: pkg/diagnostics/component_monitoring.go (docs/development/dapr-metrics.md)";
const daprHttp = "Dapr 1.18 daprd: pkg/diagnostics/http_monitoring.go";
const daprService = "Dapr 1.18 daprd: pkg/diagnostics/service_monitoring.go";
const daprResiliency = "Dapr 1.18 daprd: pkg/diagnostics/resiliency_monitoring.go";
const daprSentry = "Dapr 1.18 sentry: pkg/sentry/monitoring/metrics.go";
const ksm = "kube-state-metrics (kube-prometheus-stack): docs/metrics/workload/";
const cadvisor = "cAdvisor via the kubelet /metrics/cadvisor endpoint (kube-prometheus-stack kubelet ServiceMonitor)";
const nodeExporter = "prometheus-node-exporter (kube-prometheus-stack)";
const prometheus = "Prometheus itself: synthetic series written for every scrape target";

export const externalMetrics: readonly ExternalMetric[] = [
  // Dapr sidecar: pub/sub
  { name: "dapr_component_pubsub_ingress_count", type: "counter", source: daprComponent },
  { name: "dapr_component_pubsub_ingress_latencies", type: "histogram", source: daprComponent },
  { name: "dapr_component_pubsub_egress_count", type: "counter", source: daprComponent },
  { name: "dapr_component_pubsub_egress_latencies", type: "histogram", source: daprComponent },
  // Dapr sidecar: bindings (the reminder sweep is a cron input binding)
  { name: "dapr_component_input_binding_count", type: "counter", source: daprComponent },
  // Dapr sidecar: HTTP API (publish, invoke, jobs) served to the app
  { name: "dapr_http_server_request_count", type: "counter", source: daprHttp },
  { name: "dapr_http_server_response_count", type: "counter", source: daprHttp },
  { name: "dapr_http_server_latency", type: "histogram", source: daprHttp },
  // Dapr sidecar: runtime
  { name: "dapr_runtime_component_loaded", type: "counter", source: daprService },
  { name: "dapr_runtime_component_init_fail_total", type: "counter", source: daprService },
  { name: "dapr_resiliency_activations_total", type: "counter", source: daprResiliency },
  // Dapr control plane
  { name: "dapr_sentry_issuercert_expiry_timestamp", type: "gauge", source: daprSentry },

  // kube-state-metrics
  { name: "kube_pod_container_status_restarts_total", type: "counter", source: ksm },
  { name: "kube_pod_status_ready", type: "gauge", source: ksm },
  { name: "kube_deployment_status_replicas_available", type: "gauge", source: ksm },
  { name: "kube_deployment_spec_replicas", type: "gauge", source: ksm },
  // kube-state-metrics: the backup CronJob and its Jobs (TodoBackupFailed, TodoBackupMissing)
  { name: "kube_job_failed", type: "gauge", source: ksm },
  { name: "kube_cronjob_created", type: "gauge", source: ksm },
  { name: "kube_cronjob_status_last_successful_time", type: "gauge", source: ksm },

  // cAdvisor
  { name: "container_cpu_usage_seconds_total", type: "counter", source: cadvisor },
  { name: "container_memory_working_set_bytes", type: "gauge", source: cadvisor },

  // node-exporter
  { name: "node_cpu_seconds_total", type: "counter", source: nodeExporter },
  { name: "node_memory_MemAvailable_bytes", type: "gauge", source: nodeExporter },
  { name: "node_memory_MemTotal_bytes", type: "gauge", source: nodeExporter },

  // Prometheus
  { name: "up", type: "gauge", source: prometheus },
];
