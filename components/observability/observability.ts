import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readAlertRules, readDashboards } from "./observability-assets";
import {
  daprControlPlanePodMonitor,
  daprSidecarPodMonitor,
  dashboardConfigMap,
  invalidNamespaceArg,
  prometheusRule,
  servicesPodMonitor,
} from "./observability-objects";

export interface ObservabilityArgs {
  /** Namespace the services (and their Dapr sidecars) run in; the monitors scrape pods there. */
  appNamespace: string;
  /** Namespace of kube-prometheus-stack: dashboards, rules and monitors are created here. */
  monitoringNamespace: string;
  /** Namespace of the Dapr control plane (operator, sentry, injector, scheduler). */
  daprNamespace: string;
  /**
   * Prefix for the rules' repository-relative `runbook_url` (e.g. the repository's blob URL at the
   * deployed commit); absent → the annotation stays `docs/RUNBOOKS.md#<alert>`.
   */
  runbookBaseUrl?: string;
}

/**
 * Grafana dashboards (ConfigMaps for the Grafana sidecar), the alert rules (PrometheusRule) and the
 * scrape configuration (PodMonitors for the services, their Dapr sidecars and the Dapr control plane).
 * Every child is a kube-prometheus-stack CR or a sidecar-watched ConfigMap, so pass the stack's Helm
 * release in `opts.dependsOn`: each child depends on it explicitly (the CRDs must exist first).
 */
export class Observability extends pulumi.ComponentResource {
  public readonly dashboardConfigMaps: k8s.core.v1.ConfigMap[];
  public readonly prometheusRule: k8s.apiextensions.CustomResource;
  public readonly podMonitors: k8s.apiextensions.CustomResource[];
  /** Names of the dashboards deployed (file names without `.json`). */
  public readonly dashboardNames: string[];

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:observability:Observability", name, {}, opts);

    const bad = invalidNamespaceArg({ appNamespace: args.appNamespace, monitoringNamespace: args.monitoringNamespace, daprNamespace: args.daprNamespace });
    if (bad) throw new pulumi.ResourceError(`Observability: ${bad} must be a Kubernetes namespace name (DNS-1123 label)`, this);
    if (args.runbookBaseUrl !== undefined && !/^https?:\/\/\S+$/.test(args.runbookBaseUrl)) {
      throw new pulumi.ResourceError("Observability: runbookBaseUrl must be an http(s) URL", this);
    }

    const self = { parent: this, provider: opts?.provider, dependsOn: opts?.dependsOn };
    const ns = args.monitoringNamespace;

    const dashboards = readDashboards();
    this.dashboardNames = dashboards.map((d) => d.name);
    this.dashboardConfigMaps = dashboards.map(
      (d) => new k8s.core.v1.ConfigMap(`${name}-dashboard-${d.name}`, dashboardConfigMap({ name: `${name}-dashboard-${d.name}`, namespace: ns, file: d.file, json: d.json }), self),
    );

    this.prometheusRule = new k8s.apiextensions.CustomResource(
      `${name}-alerts`,
      prometheusRule({ name: `${name}-alerts`, namespace: ns, rulesYaml: readAlertRules(), runbookBaseUrl: args.runbookBaseUrl }),
      self,
    );

    this.podMonitors = [
      servicesPodMonitor({ name: `${name}-services`, namespace: ns, appNamespace: args.appNamespace }),
      daprSidecarPodMonitor({ name: `${name}-dapr-sidecars`, namespace: ns, appNamespace: args.appNamespace }),
      daprControlPlanePodMonitor({ name: `${name}-dapr-control-plane`, namespace: ns, daprNamespace: args.daprNamespace }),
    ].map((monitor) => new k8s.apiextensions.CustomResource(monitor.metadata.name, monitor, self));

    this.registerOutputs({
      dashboardNames: this.dashboardNames,
      prometheusRule: this.prometheusRule,
      podMonitors: this.podMonitors,
    });
  }
}
