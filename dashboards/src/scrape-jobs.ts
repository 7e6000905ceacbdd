/**
 * The `job` label of each scrape our monitors create. The PodMonitors rewrite `job` to these fixed
 * values (instead of the operator's `<namespace>/<monitor name>`), so the dashboards and the alert
 * rules can name a target set without knowing the namespace or the Pulumi resource name.
 */
export const scrapeJobs = {
  /** The services' own `/metrics` (port `http`). */
  services: "todo-services",
  /** Every injected `daprd` sidecar (port `dapr-metrics`). */
  daprSidecars: "dapr-sidecar",
  /** operator, sentry, placement, scheduler, sidecar-injector (port `metrics`). */
  daprControlPlane: "dapr-control-plane",
} as const;
