import { Counter } from "prom-client";
import { registry } from "./registry";

export const notificationsSent = new Counter({
  name: "todo_notifications_sent_total",
  help: "Notifications stored and announced, by channel (in-app|webhook) and result (success|failure)",
  labelNames: ["channel", "result"] as const,
  registers: [registry],
});

export const notificationsRead = new Counter({
  name: "todo_notifications_read_total",
  help: "Notifications marked read by their owner",
  registers: [registry],
});
