import type { ResourceSpec } from "../resource-spec";

/**
 * Values of the Helm releases, as pure functions of the stack settings. Every component a chart
 * schedules gets explicit requests and limits here (the cloud budget test sums them).
 */

const r = (cpuReq: string, memReq: string, cpuLim: string, memLim: string): ResourceSpec => ({
  requests: { cpu: cpuReq, memory: memReq },
  limits: { cpu: cpuLim, memory: memLim },
});

/** Requests/limits of every pod the platform charts schedule (one replica each unless noted). */
export const platformResources = {
  dapr: {
    operator: r("25m", "48Mi", "200m", "160Mi"),
    sentry: r("10m", "32Mi", "100m", "96Mi"),
    sidecarInjector: r("10m", "32Mi", "100m", "96Mi"),
    scheduler: r("25m", "64Mi", "300m", "256Mi"),
  },
  traefik: r("50m", "64Mi", "300m", "192Mi"),
  kubePrometheusStack: {
    operator: r("25m", "64Mi", "200m", "192Mi"),
    configReloader: r("5m", "16Mi", "50m", "48Mi"),
    prometheus: r("100m", "384Mi", "800m", "1Gi"),
    alertmanager: r("10m", "32Mi", "100m", "96Mi"),
    grafana: r("50m", "128Mi", "300m", "320Mi"),
    grafanaSidecar: r("10m", "48Mi", "100m", "128Mi"),
    kubeStateMetrics: r("10m", "32Mi", "100m", "96Mi"),
    /** DaemonSet: one per node. */
    nodeExporter: r("10m", "24Mi", "100m", "64Mi"),
  },
  certManager: {
    controller: r("10m", "48Mi", "100m", "160Mi"),
    webhook: r("5m", "24Mi", "50m", "64Mi"),
    cainjector: r("5m", "48Mi", "50m", "160Mi"),
  },
} as const;

export const CHART_REPOSITORIES = {
  dapr: "https://dapr.github.io/helm-charts",
  traefik: "https://traefik.github.io/charts",
  kubePrometheusStack: "https://prometheus-community.github.io/helm-charts",
  certManager: "https://charts.jetstack.io",
} as const;

export interface DaprValuesOptions {
  /** Size of EACH of the scheduler's three PVCs. */
  schedulerStorageSize: string;
}

/**
 * The Dapr chart 1.18.3 runs the scheduler as a 3-replica StatefulSet whatever the values say:
 * dapr/dapr v1.18.3 `charts/dapr/charts/dapr_scheduler/templates/dapr_scheduler_statefulset.yaml` has a
 * literal `replicas: 3` (and a volumeClaimTemplate: one PVC per replica). `dapr_scheduler.replicaCount`
 * and `dapr_scheduler.ha` are read by no template, so they are not set here; the budget counts 3.
 */
export const DAPR_SCHEDULER_REPLICAS = 3;

export function daprValues(o: DaprValuesOptions) {
  const res = platformResources.dapr;
  return {
    global: {
      // No HA: one operator/sentry/injector replica (the chart's default; the scheduler is 3 regardless).
      ha: { enabled: false },
      logAsJson: true,
      prometheus: { enabled: true },
      mtls: { enabled: true },
      // No actors or workflows here: no placement service to run.
      actors: { enabled: false },
    },
    dapr_operator: { resources: res.operator },
    dapr_sentry: { resources: res.sentry },
    dapr_sidecar_injector: { resources: res.sidecarInjector },
    dapr_scheduler: {
      // Dapr 1.18 asks 16Gi per replica by default; a laptop or the 200 GB free tier cannot give that.
      cluster: { storageSize: o.schedulerStorageSize },
      resources: res.scheduler,
    },
  };
}

export interface TraefikValuesOptions {
  ingressClassName: string;
  /**
   * Minikube: no LoadBalancer implementation. Traefik binds the node's ports 80/443 (hostPort), its
   * Service is a NodePort (a pending LoadBalancer would keep Helm's wait, and so `pulumi up`, hanging),
   * and it writes this host name into every Ingress status (Pulumi waits for an Ingress address).
   * Absent (k3s): a LoadBalancer Service that k3s's ServiceLB binds to the node's ports 80/443, whose
   * address Traefik copies into the Ingress status (`publishedService`).
   */
  nodeHost?: string;
  /** Create the ServiceMonitor (needs the prometheus-operator CRDs installed first). */
  serviceMonitor: boolean;
}

export function traefikValues(o: TraefikValuesOptions) {
  const onNode = o.nodeHost !== undefined;
  return {
    deployment: { replicas: 1 },
    // On the node's ports (Minikube, one node) the chart's default roll (traefik-helm-chart v37.1.2
    // values.yaml `updateStrategy.rollingUpdate: maxUnavailable: 0, maxSurge: 1`) starts the new pod
    // first, and it can never bind hostPort 80/443 held by the old one: every upgrade stalls
    // (kubernetes/minikube#12904, traefik/traefik-helm-chart#732). Old pod first, then the new one.
    ...(onNode ? { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } } : {}),
    ingressClass: { enabled: true, isDefaultClass: true, name: o.ingressClassName },
    providers: {
      kubernetesIngress: { enabled: true, publishedService: { enabled: !onNode } },
      kubernetesCRD: { enabled: true },
    },
    ...(onNode ? { additionalArguments: [`--providers.kubernetesingress.ingressendpoint.hostname=${o.nodeHost}`] } : {}),
    ports: {
      ...(onNode ? { web: { hostPort: 80 } } : {}),
      // Explicit (it is the chart's default): the app Ingress gets TLS from this entry point, not from a
      // router annotation, so that its routers also answer plain HTTP on `web` with a redirect.
      websecure: { tls: { enabled: true }, ...(onNode ? { hostPort: 443 } : {}) },
    },
    service: { type: onNode ? "NodePort" : "LoadBalancer" },
    logs: { general: { format: "json", level: "INFO" }, access: { enabled: true, format: "json" } },
    // The chart's ServiceMonitor selects the dedicated metrics Service (the main one does not expose 9100).
    metrics: { prometheus: { service: { enabled: o.serviceMonitor }, serviceMonitor: { enabled: o.serviceMonitor } } },
    resources: platformResources.traefik,
  };
}

export interface KubePrometheusStackValuesOptions {
  /** Public host; Grafana is served under `/grafana` on it. */
  host: string;
  scheme: "http" | "https";
  ingressClassName: string;
  /** Existing Secret with keys `admin-user` and `admin-password` (the password is generated by the stack). */
  grafanaAdminSecret: string;
  retention: string;
  storageSize: string;
  /** Cloud: the ClusterIssuer for Grafana's TLS certificate. */
  tlsClusterIssuer?: string;
}

export function kubePrometheusStackValues(o: KubePrometheusStackValuesOptions) {
  const res = platformResources.kubePrometheusStack;
  return {
    fullnameOverride: "kps",
    crds: { enabled: true },
    // Minikube and k3s do not expose these control-plane endpoints: their monitors would only alert.
    kubeEtcd: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeProxy: { enabled: false },
    // (Their defaultRules follow these switches: kube-prometheus-stack 77.6.2 templates/prometheus/rules-1.14/
    // etcd.yaml etc. test `.Values.kubeEtcd.enabled`, so `defaultRules.rules.<x>: false` would change nothing.)
    prometheusOperator: {
      resources: res.operator,
      prometheusConfigReloader: { resources: res.configReloader },
      admissionWebhooks: { patch: { resources: res.configReloader } },
    },
    prometheus: {
      prometheusSpec: {
        // Pick up every ServiceMonitor/PodMonitor/PrometheusRule/Probe, not only those labelled with this release.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        retention: o.retention,
        resources: res.prometheus,
        storageSpec: {
          volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: o.storageSize } } } },
        },
      },
    },
    alertmanager: { alertmanagerSpec: { resources: res.alertmanager } },
    grafana: {
      admin: { existingSecret: o.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      resources: res.grafana,
      "grafana.ini": {
        server: { root_url: `${o.scheme}://${o.host}/grafana`, serve_from_sub_path: true },
        analytics: { check_for_updates: false, reporting_enabled: false },
      },
      ingress: {
        enabled: true,
        ingressClassName: o.ingressClassName,
        hosts: [o.host],
        path: "/grafana",
        ...(o.tlsClusterIssuer
          ? {
              annotations: { "cert-manager.io/cluster-issuer": o.tlsClusterIssuer, "traefik.ingress.kubernetes.io/router.tls": "true" },
              tls: [{ hosts: [o.host], secretName: "grafana-tls" }],
            }
          : {}),
      },
      // Dashboards come from ConfigMaps labelled grafana_dashboard=1 in any namespace.
      sidecar: {
        resources: res.grafanaSidecar,
        dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" },
        datasources: { enabled: true },
      },
    },
    "kube-state-metrics": { resources: res.kubeStateMetrics },
    "prometheus-node-exporter": { resources: res.nodeExporter },
  };
}

export function certManagerValues() {
  const res = platformResources.certManager;
  return {
    crds: { enabled: true },
    resources: res.controller,
    webhook: { resources: res.webhook },
    cainjector: { resources: res.cainjector },
    startupapicheck: { resources: res.webhook },
  };
}
