import { Registry, collectDefaultMetrics } from "prom-client";

/**
 * One metrics registry per process. Metric modules register into it when a service imports them, so a
 * service's /metrics shows exactly the metrics that service emits.
 */
export const registry = new Registry();
let defaultsCollected = false;

export function initMetrics(service: string): Registry {
  registry.setDefaultLabels({ service });
  if (!defaultsCollected) {
    collectDefaultMetrics({ register: registry });
    defaultsCollected = true;
  }
  return registry;
}
