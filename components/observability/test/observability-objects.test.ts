import assert from "node:assert/strict";
import { scrapeJobs } from "../../../dashboards/src/scrape-jobs";
import { readAlertRules, readDashboards } from "../observability-assets";
import {
  alertRuleGroups,
  daprControlPlanePodMonitor,
  daprSidecarPodMonitor,
  dashboardConfigMap,
  invalidNamespaceArg,
  prometheusRule,
  servicesPodMonitor,
} from "../observability-objects";

// The model packages are ES modules only (no `require` export): load them with import().
type Models = {
  PodMonitor: typeof import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor").PodMonitor;
  PrometheusRule: typeof import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule").PrometheusRule;
  ConfigMap: typeof import("kubernetes-models/v1/ConfigMap").ConfigMap;
};

describe("Observability objects", () => {
  let PodMonitor: Models["PodMonitor"];
  let PrometheusRule: Models["PrometheusRule"];
  let ConfigMap: Models["ConfigMap"];

  before(async () => {
    ({ PodMonitor } = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor"));
    ({ PrometheusRule } = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule"));
    ({ ConfigMap } = await import("kubernetes-models/v1/ConfigMap"));
  });

  it("when the committed dashboards are read, then there are four and each becomes a valid ConfigMap labelled for the Grafana sidecar", () => {
    const dashboards = readDashboards();
    assert.deepEqual(dashboards.map((d) => d.name), ["event-processing", "reminder-scheduling", "system-health", "task-operations"]);
    for (const d of dashboards) {
      const cm = dashboardConfigMap({ name: `obs-dashboard-${d.name}`, namespace: "monitoring", file: d.file, json: d.json });
      new ConfigMap(cm).validate();
      assert.equal(cm.metadata.labels.grafana_dashboard, "1");
      assert.equal(cm.metadata.namespace, "monitoring");
      assert.equal((JSON.parse(cm.data[d.file]) as { uid: string }).uid, `todo-${d.name}`);
      // The API server refuses ConfigMaps over 1 MiB.
      assert.ok(Buffer.byteLength(d.json) < 1024 * 1024);
    }
  });

  it("when the rule file is wrapped, then the PrometheusRule is schema-valid and carries every alert", () => {
    const rule = prometheusRule({ name: "obs-alerts", namespace: "monitoring", rulesYaml: readAlertRules() });
    new PrometheusRule(rule).validate();
    const alerts = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert));
    assert.ok(alerts.includes("TodoHighErrorRatio") && alerts.includes("TodoPubSubBrokerDown"));
    assert.ok(alerts.length >= 11);
  });

  it("when a runbook base URL is given, then runbook links point under it; without one they stay repository paths", () => {
    const withBase = alertRuleGroups(readAlertRules(), "https://git.example/todo/blob/abc123/");
    for (const r of withBase.flatMap((g) => g.rules)) {
      assert.equal(r.annotations?.runbook_url, `https://git.example/todo/blob/abc123/docs/RUNBOOKS.md#${r.alert!.toLowerCase()}`);
    }
    const plain = alertRuleGroups(readAlertRules());
    assert.equal(plain[0].rules[0].annotations?.runbook_url, "docs/RUNBOOKS.md#todohigherrorratio");
  });

  it("when a rule file has no groups, then wrapping it fails", () => {
    assert.throws(() => alertRuleGroups("groups: []\n"), /no groups/);
  });

  it("when the services PodMonitor is built, then it selects the platform's pods on port http in the app namespace as job todo-services", () => {
    const pm = servicesPodMonitor({ name: "obs-services", namespace: "monitoring", appNamespace: "todo" });
    new PodMonitor(pm).validate();
    assert.deepEqual(pm.spec.namespaceSelector, { matchNames: ["todo"] });
    assert.deepEqual(pm.spec.selector, { matchLabels: { "app.kubernetes.io/part-of": "todo-platform" } });
    assert.equal(pm.spec.podMetricsEndpoints[0].port, "http");
    assert.equal(pm.spec.podMetricsEndpoints[0].path, "/metrics");
    assert.deepEqual(pm.spec.podMetricsEndpoints[0].relabelings, [{ action: "replace", targetLabel: "job", replacement: scrapeJobs.services }]);
  });

  it("when the Dapr sidecar PodMonitor is built, then it selects injected pods on the dapr-metrics port as job dapr-sidecar", () => {
    const pm = daprSidecarPodMonitor({ name: "obs-dapr-sidecars", namespace: "monitoring", appNamespace: "todo" });
    new PodMonitor(pm).validate();
    assert.deepEqual(pm.spec.selector, { matchLabels: { "dapr.io/sidecar-injected": "true" } });
    assert.equal(pm.spec.podMetricsEndpoints[0].port, "dapr-metrics");
    assert.equal(pm.spec.podMetricsEndpoints[0].relabelings[0].replacement, scrapeJobs.daprSidecars);
  });

  it("when the Dapr control-plane PodMonitor is built, then it selects the chart's control-plane pods in the Dapr namespace", () => {
    const pm = daprControlPlanePodMonitor({ name: "obs-dapr-control-plane", namespace: "monitoring", daprNamespace: "dapr-system" });
    new PodMonitor(pm).validate();
    assert.deepEqual(pm.spec.namespaceSelector, { matchNames: ["dapr-system"] });
    assert.ok(pm.spec.selector.matchExpressions[0].values.includes("dapr-scheduler-server"));
    assert.equal(pm.spec.podMetricsEndpoints[0].port, "metrics");
    assert.equal(pm.spec.podMetricsEndpoints[0].relabelings[0].replacement, scrapeJobs.daprControlPlane);
  });

  it("when a PodMonitor is broken, then the schema validation rejects it (the check is real)", () => {
    const pm = servicesPodMonitor({ name: "obs-services", namespace: "monitoring", appNamespace: "todo" });
    const broken = { ...pm, spec: { ...pm.spec, podMetricsEndpoints: [{ ...pm.spec.podMetricsEndpoints[0], interval: "thirty seconds" }] } };
    assert.throws(() => new PodMonitor(broken).validate());
  });

  it("when namespace args are checked, then the first invalid one is named", () => {
    assert.equal(invalidNamespaceArg({ appNamespace: "todo", monitoringNamespace: "monitoring" }), undefined);
    assert.equal(invalidNamespaceArg({ appNamespace: "todo", monitoringNamespace: "Monitoring_NS" }), "monitoringNamespace");
    assert.equal(invalidNamespaceArg({ appNamespace: "" }), "appNamespace");
  });
});
