import { Counter, Gauge } from "prom-client";
import { registry } from "./registry";

export const websocketConnections = new Gauge({
  name: "todo_websocket_connections",
  help: "Open websocket connections on this replica",
  registers: [registry],
});

export const websocketFramesSent = new Counter({
  name: "todo_websocket_frames_sent_total",
  help: "Frames sent to browsers, by frame type",
  labelNames: ["type"] as const,
  registers: [registry],
});

export const websocketClientsDropped = new Counter({
  name: "todo_websocket_clients_dropped_total",
  help: "Connections closed by the server, by reason (slow|heartbeat|shutdown|expired|flood|too_many|erased)",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const websocketUpgradesRejected = new Counter({
  name: "todo_websocket_upgrades_rejected_total",
  help: "Upgrade requests refused (bad or missing token)",
  registers: [registry],
});
