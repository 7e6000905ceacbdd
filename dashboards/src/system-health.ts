import { dashboard } from "./grafana";
import { podHealthPanels } from "./pod-health-panels";
import { scrapeJobs } from "./scrape-jobs";

const ns = 'namespace="$namespace"';
const svc = `${ns}, service=~"$service"`;
const allApps = ["backend", "event-processor", "reminder-scheduler", "notification", "websocket", "frontend"];

/** Is everything up: scrape targets, pods, Node.js runtimes, Dapr sidecars and control plane, nodes. */
export const systemHealth = dashboard({
  uid: "todo-system-health",
  title: "Todo / System health",
  description: "Scrape targets, pod readiness and restarts, container resources, Node.js runtime, Dapr sidecars and control plane, node capacity.",
  tags: ["health"],
  variables: [{ name: "service", label: "Service", query: 'label_values(http_requests_total{namespace="$namespace"}, service)', multi: true }],
  rows: [
    {
      title: "Scrape targets",
      panels: [
        {
          title: "Services up",
          description: "Service pods whose /metrics answered the last scrape.",
          kind: "stat",
          unit: "short",
          width: 8,
          queries: [{ expr: `sum(up{job="${scrapeJobs.services}", ${ns}})`, legend: "up" }],
        },
        {
          title: "Dapr sidecars up",
          description: "daprd sidecars whose metrics port answered the last scrape. Fewer than service pods → TodoDaprSidecarDown.",
          kind: "stat",
          unit: "short",
          width: 8,
          queries: [{ expr: `sum(up{job="${scrapeJobs.daprSidecars}", ${ns}})`, legend: "up" }],
        },
        {
          title: "Dapr control plane up",
          description: "operator, sentry, placement, scheduler and injector pods answering scrapes.",
          kind: "stat",
          unit: "short",
          width: 8,
          queries: [{ expr: `sum(up{job="${scrapeJobs.daprControlPlane}"})`, legend: "up" }],
        },
        {
          title: "Targets down",
          description: "Every target that failed its last scrape.",
          unit: "short",
          width: 24,
          height: 6,
          queries: [{ expr: `up{job=~"${Object.values(scrapeJobs).join("|")}"} == 0`, legend: "{{job}} {{namespace}}/{{pod}}" }],
        },
      ],
    },
    { title: "Pods", panels: podHealthPanels(allApps) },
    {
      title: "HTTP (all services)",
      panels: [
        {
          title: "Server error ratio by service",
          description: "Share of 5xx responses per service.",
          unit: "percentunit",
          redAt: 0.05,
          queries: [
            {
              expr: `sum by (service) (rate(http_requests_total{${svc}, status=~"5.."}[$__rate_interval])) / sum by (service) (rate(http_requests_total{${svc}}[$__rate_interval]))`,
              legend: "{{service}}",
            },
          ],
        },
        {
          title: "p99 latency by service",
          description: "p99 request latency per service (probes and scrapes excluded).",
          unit: "s",
          redAt: 1,
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{${svc}, route!~"/healthz|/readyz|/metrics"}[$__rate_interval])))`,
              legend: "{{service}}",
            },
          ],
        },
      ],
    },
    {
      title: "Node.js runtime",
      panels: [
        {
          title: "Event loop lag p99",
          description: "A blocked event loop delays every request and delivery on that pod.",
          unit: "s",
          width: 8,
          queries: [{ expr: `max by (service, pod) (nodejs_eventloop_lag_p99_seconds{${svc}})`, legend: "{{pod}}" }],
        },
        {
          title: "Resident memory",
          description: "Process RSS per pod.",
          unit: "bytes",
          width: 8,
          queries: [{ expr: `sum by (service, pod) (process_resident_memory_bytes{${svc}})`, legend: "{{pod}}" }],
        },
        {
          title: "Heap used",
          description: "V8 heap in use per pod.",
          unit: "bytes",
          width: 8,
          queries: [{ expr: `sum by (service, pod) (nodejs_heap_size_used_bytes{${svc}})`, legend: "{{pod}}" }],
        },
        {
          title: "Process CPU",
          description: "CPU seconds per second used by each Node.js process.",
          unit: "cores",
          width: 8,
          queries: [{ expr: `sum by (service, pod) (rate(process_cpu_seconds_total{${svc}}[$__rate_interval]))`, legend: "{{pod}}" }],
        },
        {
          title: "GC time",
          description: "Share of time spent in garbage collection.",
          unit: "percentunit",
          width: 8,
          queries: [{ expr: `sum by (service, pod) (rate(nodejs_gc_duration_seconds_sum{${svc}}[$__rate_interval]))`, legend: "{{pod}}" }],
        },
        {
          title: "Open file descriptors",
          description: "Sockets and files held open per process.",
          unit: "short",
          width: 8,
          queries: [{ expr: `sum by (service, pod) (process_open_fds{${svc}})`, legend: "{{pod}}" }],
        },
      ],
    },
    {
      title: "Dapr",
      panels: [
        {
          title: "Components loaded per sidecar",
          description: "Components (pub/sub, state, secrets, bindings) each sidecar loaded at start.",
          unit: "short",
          width: 8,
          queries: [{ expr: `sum by (app_id) (dapr_runtime_component_loaded{${ns}})`, legend: "{{app_id}}" }],
        },
        {
          title: "Component init failures",
          description: "Components a sidecar could not initialise (broker unreachable at start, bad metadata).",
          unit: "short",
          width: 8,
          redAt: 1,
          queries: [{ expr: `sum by (app_id, component, reason) (increase(dapr_runtime_component_init_fail_total{${ns}}[1h]))`, legend: "{{app_id}} {{component}} {{reason}}" }],
        },
        {
          title: "Sidecar HTTP API errors",
          description: "Non-2xx answers from the sidecars' HTTP API to the apps, by status.",
          unit: "reqps",
          width: 8,
          queries: [{ expr: `sum by (app_id, status) (rate(dapr_http_server_response_count{${ns}, status!~"2.."}[$__rate_interval]))`, legend: "{{app_id}} {{status}}" }],
        },
        {
          title: "Sentry issuer certificate expires in",
          description: "Time left before the Dapr mTLS issuer certificate expires; renew it well before zero.",
          kind: "stat",
          unit: "s",
          width: 24,
          height: 5,
          queries: [{ expr: `min(dapr_sentry_issuercert_expiry_timestamp{job="${scrapeJobs.daprControlPlane}"}) - time()`, legend: "expires in" }],
        },
      ],
    },
    {
      title: "Nodes",
      panels: [
        {
          title: "Node CPU busy",
          description: "Share of node CPU not idle (node-exporter). The cloud budget is 2 OCPU in total.",
          unit: "percentunit",
          max: 1,
          queries: [{ expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))`, legend: "{{instance}}" }],
        },
        {
          title: "Node memory available",
          description: "Memory available to new work per node (node-exporter).",
          unit: "percentunit",
          max: 1,
          queries: [{ expr: `sum by (instance) (node_memory_MemAvailable_bytes) / sum by (instance) (node_memory_MemTotal_bytes)`, legend: "{{instance}}" }],
        },
      ],
    },
  ],
});
