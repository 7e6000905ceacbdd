import { dashboard } from "./grafana";
import { daprSidecarPanels } from "./dapr-panels";
import { podHealthPanels } from "./pod-health-panels";

const ns = 'namespace="$namespace"';

/** Events end to end: published, delivered, handled (with outcome), retried, dead-lettered. */
export const eventProcessing = dashboard({
  uid: "todo-event-processing",
  title: "Todo / Event processing",
  description: "Publishing, consumption by consumer and outcome, processing time, retries, dead letters and the Dapr pub/sub path.",
  tags: ["events"],
  variables: [{ name: "consumer", label: "Consumer", query: 'label_values(todo_events_consumed_total{namespace="$namespace"}, consumer)', multi: true }],
  rows: [
    {
      title: "Published",
      panels: [
        {
          title: "Events published by type",
          description: "Events handed to Dapr pub/sub by every publisher (outbox relay, reminder scheduler, notification), by result.",
          unit: "ops",
          stacked: true,
          queries: [{ expr: `sum by (type, result) (rate(todo_events_published_total{${ns}}[$__rate_interval]))`, legend: "{{type}} {{result}}" }],
        },
        {
          title: "Publish failure ratio",
          description: "Share of publishes the sidecar rejected. Sustained failures mean the broker or the sidecar is down (see TodoPubSubBrokerDown).",
          unit: "percentunit",
          redAt: 0.5,
          queries: [
            {
              expr: `sum by (service) (rate(todo_events_published_total{${ns}, result="failure"}[$__rate_interval])) / sum by (service) (rate(todo_events_published_total{${ns}}[$__rate_interval]))`,
              legend: "{{service}}",
            },
          ],
        },
      ],
    },
    {
      title: "Consumed",
      panels: [
        {
          title: "Deliveries by outcome",
          description: "Every delivery handled: success, duplicate (already processed, idempotency), retry (transient failure) or drop (invalid → dead letter).",
          unit: "ops",
          stacked: true,
          queries: [
            { expr: `sum by (consumer, outcome) (rate(todo_events_consumed_total{${ns}, consumer=~"$consumer"}[$__rate_interval]))`, legend: "{{consumer}} {{outcome}}" },
          ],
        },
        {
          title: "Retry ratio",
          description: "Share of deliveries answered RETRY. The TodoConsumerRetryStorm alert fires above 20%.",
          unit: "percentunit",
          redAt: 0.2,
          queries: [
            {
              expr: `sum by (consumer) (rate(todo_events_consumed_total{${ns}, consumer=~"$consumer", outcome="retry"}[$__rate_interval])) / sum by (consumer) (rate(todo_events_consumed_total{${ns}, consumer=~"$consumer"}[$__rate_interval]))`,
              legend: "{{consumer}}",
            },
          ],
        },
        {
          title: "Processing duration p50 / p99",
          description: "Time a consumer spends on one delivery.",
          unit: "s",
          queries: ["0.5", "0.99"].map((q) => ({
            expr: `histogram_quantile(${q}, sum by (consumer, le) (rate(todo_event_processing_duration_seconds_bucket{${ns}, consumer=~"$consumer"}[$__rate_interval])))`,
            legend: `{{consumer}} p${Number(q) * 100}`,
          })),
        },
        {
          title: "Deliveries by event type",
          description: "Which events the consumers are busy with.",
          unit: "ops",
          stacked: true,
          queries: [{ expr: `sum by (type) (rate(todo_events_consumed_total{${ns}, consumer=~"$consumer"}[$__rate_interval]))`, legend: "{{type}}" }],
        },
      ],
    },
    {
      title: "Dead letters",
      panels: [
        {
          title: "Dead-lettered events",
          description: "Events that reached a dead-letter topic after retries or a DROP. Any of them fires TodoEventDeadLettered.",
          unit: "short",
          redAt: 1,
          queries: [{ expr: `sum by (topic, type) (increase(todo_events_dead_lettered_total{${ns}}[$__rate_interval]))`, legend: "{{topic}} {{type}}" }],
        },
        {
          title: "Dead letters in the time range",
          description: "Total dead-lettered events in the selected range.",
          kind: "stat",
          unit: "short",
          redAt: 1,
          queries: [{ expr: `sum(increase(todo_events_dead_lettered_total{${ns}}[$__range]))`, legend: "dead letters" }],
        },
      ],
    },
    {
      title: "Dapr resiliency",
      panels: [
        {
          title: "Resiliency policy activations",
          description: "Retries and circuit-breaker changes the sidecars applied, by app and policy.",
          unit: "ops",
          width: 24,
          queries: [{ expr: `sum by (app_id, policy) (rate(dapr_resiliency_activations_total{${ns}}[$__rate_interval]))`, legend: "{{app_id}} {{policy}}" }],
        },
      ],
    },
    { title: "Dapr sidecars (all subscribers and publishers)", panels: daprSidecarPanels(["event-processor", "websocket", "notification", "backend"]) },
    { title: "Pods (event-processor)", panels: podHealthPanels(["event-processor"]) },
  ],
});
