import { Counter } from "prom-client";
import { registry } from "../../../shared/src/telemetry/registry";

/** Series that ended at a completion, by why: by-user (end-series), count, until, horizon (no slot found). */
export const seriesEnds = new Counter({
  name: "todo_series_ended_total",
  help: "Recurring series that ended at a completion, by reason (by-user|count|until|horizon)",
  labelNames: ["reason"] as const,
  registers: [registry],
});
