import { dashboard } from "./grafana";
import { daprSidecarPanels } from "./dapr-panels";
import { podHealthPanels } from "./pod-health-panels";

const ns = 'namespace="$namespace"';

/** Reminders: Dapr Jobs scheduled and cancelled, callbacks fired, how late, and the cron sweep. */
export const reminderScheduling = dashboard({
  uid: "todo-reminder-scheduling",
  title: "Todo / Reminder scheduling",
  description: "Reminder jobs scheduled, cancelled and fired, lateness against remindAt, the safety-net sweep and the notifications that follow.",
  tags: ["reminders"],
  rows: [
    {
      title: "Jobs",
      panels: [
        {
          title: "Reminders scheduled",
          description: "Dapr Jobs created or re-created, by trigger: a reminder event, or the sweep repairing a missing job.",
          unit: "ops",
          width: 8,
          stacked: true,
          queries: [{ expr: `sum by (trigger) (rate(todo_reminders_scheduled_total{${ns}}[$__rate_interval]))`, legend: "{{trigger}}" }],
        },
        {
          title: "Reminders cancelled",
          description: "Reminder jobs deleted, by reason.",
          unit: "ops",
          width: 8,
          stacked: true,
          queries: [{ expr: `sum by (reason) (rate(todo_reminders_cancelled_total{${ns}}[$__rate_interval]))`, legend: "{{reason}}" }],
        },
        {
          title: "Reminder callbacks fired",
          description: "Job callbacks by result: published (reminder.due sent), stale (task changed since), duplicate (at-least-once redelivery).",
          unit: "ops",
          width: 8,
          stacked: true,
          queries: [{ expr: `sum by (result) (rate(todo_reminders_fired_total{${ns}}[$__rate_interval]))`, legend: "{{result}}" }],
        },
      ],
    },
    {
      title: "Lateness",
      panels: [
        {
          title: "Reminder lateness",
          description: "Fire time minus remindAt, p50 / p95 / p99. The Jobs API fires on time; lateness near 30 s means the sweep is doing the work.",
          unit: "s",
          redAt: 60,
          queries: ["0.5", "0.95", "0.99"].map((q) => ({
            expr: `histogram_quantile(${q}, sum by (le) (rate(todo_reminder_lateness_seconds_bucket{${ns}}[$__rate_interval])))`,
            legend: `p${Number(q) * 100}`,
          })),
        },
        {
          title: "Reminders due published",
          description: "reminder.due events published, by result.",
          unit: "ops",
          queries: [{ expr: `sum by (result) (rate(todo_events_published_total{${ns}, type="reminder.due"}[$__rate_interval]))`, legend: "{{result}}" }],
        },
      ],
    },
    {
      title: "Sweep and delivery",
      panels: [
        {
          title: "Cron sweep ticks",
          description: "Input-binding deliveries of the reminder-sweep cron binding, by success (one per replica per tick).",
          unit: "ops",
          queries: [
            { expr: `sum by (component, success) (rate(dapr_component_input_binding_count{${ns}, app_id="reminder-scheduler"}[$__rate_interval]))`, legend: "{{component}} {{success}}" },
          ],
        },
        {
          title: "Notifications sent",
          description: "What the notification service did with reminder.due, by channel and result.",
          unit: "ops",
          queries: [{ expr: `sum by (channel, result) (rate(todo_notifications_sent_total{${ns}}[$__rate_interval]))`, legend: "{{channel}} {{result}}" }],
        },
      ],
    },
    { title: "Dapr sidecar (reminder-scheduler)", panels: daprSidecarPanels(["reminder-scheduler"]) },
    { title: "Pods (reminder-scheduler)", panels: podHealthPanels(["reminder-scheduler"]) },
  ],
});
