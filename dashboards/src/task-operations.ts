import { dashboard } from "./grafana";
import { daprSidecarPanels } from "./dapr-panels";
import { podHealthPanels } from "./pod-health-panels";

const backend = 'namespace="$namespace", service="backend"';
const notExposition = 'route!~"/healthz|/readyz|/metrics"';

/** The user-facing side: the API, task changes, the outbox, notifications and live updates. */
export const taskOperations = dashboard({
  uid: "todo-task-operations",
  title: "Todo / Task operations",
  description: "API traffic, task state changes, the transactional outbox, notifications and websocket fan-out.",
  tags: ["tasks"],
  rows: [
    {
      title: "API (backend)",
      panels: [
        {
          title: "Requests by route",
          description: "Requests the backend answered, by route template and method (probes and scrapes excluded).",
          unit: "reqps",
          stacked: true,
          queries: [{ expr: `sum by (route, method) (rate(http_requests_total{${backend}, ${notExposition}}[$__rate_interval]))`, legend: "{{method}} {{route}}" }],
        },
        {
          title: "Server error ratio",
          description: "Share of backend responses with a 5xx status. The TodoHighErrorRatio alert fires above 5%.",
          unit: "percentunit",
          redAt: 0.05,
          queries: [
            {
              expr: `sum(rate(http_requests_total{${backend}, status=~"5.."}[$__rate_interval])) / sum(rate(http_requests_total{${backend}}[$__rate_interval]))`,
              legend: "5xx ratio",
            },
          ],
        },
        {
          title: "Latency",
          description: "p50 / p95 / p99 of backend request latency over all routes.",
          unit: "s",
          queries: ["0.5", "0.95", "0.99"].map((q) => ({
            expr: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${backend}, ${notExposition}}[$__rate_interval])))`,
            legend: `p${Number(q) * 100}`,
          })),
        },
        {
          title: "Client errors by status",
          description: "4xx responses: validation (400), auth (401), someone else's task (404), conflicts (409).",
          unit: "reqps",
          queries: [{ expr: `sum by (status, route) (rate(http_requests_total{${backend}, status=~"4.."}[$__rate_interval]))`, legend: "{{status}} {{route}}" }],
        },
      ],
    },
    {
      title: "Tasks",
      panels: [
        {
          title: "Task operations",
          description: "Task state changes committed, by operation (a repeated complete is not counted).",
          unit: "ops",
          stacked: true,
          queries: [{ expr: `sum by (operation) (rate(todo_task_operations_total{namespace="$namespace"}[$__rate_interval]))`, legend: "{{operation}}" }],
        },
        {
          title: "Task operations in the time range",
          description: "How many of each operation took effect in the selected time range.",
          kind: "stat",
          unit: "short",
          queries: [{ expr: `sum by (operation) (increase(todo_task_operations_total{namespace="$namespace"}[$__range]))`, legend: "{{operation}}" }],
        },
      ],
    },
    {
      title: "Outbox",
      panels: [
        {
          title: "Unsent outbox rows",
          description: "Events written with their task but not yet published. Grows while the broker or sidecar is down; drains after.",
          unit: "short",
          width: 8,
          queries: [{ expr: `max(todo_outbox_unsent_events{namespace="$namespace"})`, legend: "unsent" }],
        },
        {
          title: "Oldest unsent row age",
          description: "How long the oldest unpublished event has waited. The TodoOutboxStale alert fires above 5 minutes.",
          unit: "s",
          width: 8,
          redAt: 300,
          queries: [{ expr: `max(todo_outbox_oldest_unsent_age_seconds{namespace="$namespace"})`, legend: "oldest" }],
        },
        {
          title: "Events published by the backend",
          description: "Outbox relay publishes, by event type and result.",
          unit: "ops",
          width: 8,
          stacked: true,
          queries: [{ expr: `sum by (type, result) (rate(todo_events_published_total{${backend}}[$__rate_interval]))`, legend: "{{type}} {{result}}" }],
        },
      ],
    },
    {
      title: "Notifications and live updates",
      panels: [
        {
          title: "Notifications sent",
          description: "Notifications stored and announced, by channel and result.",
          unit: "ops",
          width: 8,
          queries: [{ expr: `sum by (channel, result) (rate(todo_notifications_sent_total{namespace="$namespace"}[$__rate_interval]))`, legend: "{{channel}} {{result}}" }],
        },
        {
          title: "Notifications read",
          description: "Notifications marked read by their owner.",
          unit: "ops",
          width: 8,
          queries: [{ expr: `sum(rate(todo_notifications_read_total{namespace="$namespace"}[$__rate_interval]))`, legend: "read" }],
        },
        {
          title: "Open websocket connections",
          description: "Browsers connected, per websocket replica.",
          unit: "short",
          width: 8,
          queries: [{ expr: `sum by (pod) (todo_websocket_connections{namespace="$namespace"})`, legend: "{{pod}}" }],
        },
        {
          title: "Websocket frames sent",
          description: "Frames pushed to browsers, by frame type.",
          unit: "ops",
          width: 8,
          stacked: true,
          queries: [{ expr: `sum by (type) (rate(todo_websocket_frames_sent_total{namespace="$namespace"}[$__rate_interval]))`, legend: "{{type}}" }],
        },
        {
          title: "Websocket clients dropped",
          description: "Connections the server closed: slow consumer, missed heartbeat, shutdown.",
          unit: "ops",
          width: 8,
          queries: [{ expr: `sum by (reason) (rate(todo_websocket_clients_dropped_total{namespace="$namespace"}[$__rate_interval]))`, legend: "{{reason}}" }],
        },
        {
          title: "Websocket upgrades rejected",
          description: "Upgrade requests refused for a bad or missing token.",
          unit: "ops",
          width: 8,
          queries: [{ expr: `sum(rate(todo_websocket_upgrades_rejected_total{namespace="$namespace"}[$__rate_interval]))`, legend: "rejected" }],
        },
      ],
    },
    { title: "Dapr sidecars (backend, notification, websocket)", panels: daprSidecarPanels(["backend", "notification", "websocket"]) },
    { title: "Pods (backend, notification, websocket, frontend)", panels: podHealthPanels(["backend", "notification", "websocket", "frontend"]) },
  ],
});
