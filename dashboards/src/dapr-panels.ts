import type { PanelSpec } from "./grafana";

/**
 * Panels on the daprd sidecar metrics, for the app-ids a dashboard is about. Dapr labels its series
 * with `app_id`; latencies are histograms in milliseconds.
 */
export function daprSidecarPanels(appIds: readonly string[]): PanelSpec[] {
  const sel = `namespace="$namespace", app_id=~"${appIds.join("|")}"`;
  return [
    {
      title: "Sidecar pub/sub egress (published)",
      description: "Messages the sidecar handed to the broker, by topic and success. success=\"false\" means the broker refused or was unreachable.",
      unit: "ops",
      stacked: true,
      queries: [{ expr: `sum by (app_id, topic, success) (rate(dapr_component_pubsub_egress_count{${sel}}[$__rate_interval]))`, legend: "{{app_id}} → {{topic}} ({{success}})" }],
    },
    {
      title: "Sidecar pub/sub egress latency p99",
      description: "Time the broker took to accept a publish, as seen by the sidecar.",
      unit: "ms",
      queries: [
        {
          expr: `histogram_quantile(0.99, sum by (app_id, le) (rate(dapr_component_pubsub_egress_latencies_bucket{${sel}}[$__rate_interval])))`,
          legend: "{{app_id}} p99",
        },
      ],
    },
    {
      title: "Sidecar pub/sub ingress (delivered to the app)",
      description: "Messages the sidecar delivered to the app, by topic and the status the app replied (success / retry / drop).",
      unit: "ops",
      stacked: true,
      queries: [{ expr: `sum by (app_id, topic, process_status) (rate(dapr_component_pubsub_ingress_count{${sel}}[$__rate_interval]))`, legend: "{{app_id}} ← {{topic}} ({{process_status}})" }],
    },
    {
      title: "Sidecar pub/sub ingress latency p99",
      description: "Time the app took to handle a delivered message, as seen by the sidecar.",
      unit: "ms",
      queries: [
        {
          expr: `histogram_quantile(0.99, sum by (app_id, le) (rate(dapr_component_pubsub_ingress_latencies_bucket{${sel}}[$__rate_interval])))`,
          legend: "{{app_id}} p99",
        },
      ],
    },
    {
      title: "Sidecar HTTP API requests",
      description: "Calls from the app to its sidecar's HTTP API (publish, invoke, jobs, secrets, metadata).",
      unit: "reqps",
      queries: [{ expr: `sum by (app_id, method) (rate(dapr_http_server_request_count{${sel}}[$__rate_interval]))`, legend: "{{app_id}} {{method}}" }],
    },
    {
      title: "Sidecar HTTP API latency p99",
      description: "End-to-end latency of the sidecar's HTTP API as served to the app.",
      unit: "ms",
      queries: [
        { expr: `histogram_quantile(0.99, sum by (app_id, le) (rate(dapr_http_server_latency_bucket{${sel}}[$__rate_interval])))`, legend: "{{app_id}} p99" },
      ],
    },
  ];
}
