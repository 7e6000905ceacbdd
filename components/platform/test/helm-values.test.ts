import assert from "node:assert/strict";
import { certManagerValues, daprValues, kubePrometheusStackValues, traefikValues } from "../helm-values";

// Key paths checked against the charts' own values.yaml (traefik/traefik-helm-chart traefik/values.yaml,
// dapr/dapr charts/dapr/charts/*/values.yaml + dapr_scheduler _helpers.tpl, prometheus-community
// kube-prometheus-stack values.yaml, cert-manager `crds.enabled`).
describe("Helm values", () => {
  it("when Traefik runs on Minikube, then it binds the node's 80/443, is a NodePort Service and reports the host as the Ingress address", () => {
    const v = traefikValues({ ingressClassName: "traefik", nodeHost: "todo-app.local", serviceMonitor: true });
    assert.equal(v.service.type, "NodePort", "a LoadBalancer stays <pending> on Minikube and Helm's wait never ends");
    assert.deepEqual(v.ports, { web: { hostPort: 80 }, websecure: { tls: { enabled: true }, hostPort: 443 } });
    assert.equal(v.providers.kubernetesIngress.publishedService.enabled, false);
    assert.deepEqual(v.additionalArguments, ["--providers.kubernetesingress.ingressendpoint.hostname=todo-app.local"]);
    // One node, hostPorts: a surge pod could never bind 80/443 (chart default maxSurge 1, maxUnavailable 0).
    assert.deepEqual(v.updateStrategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });

  it("when Traefik runs on k3s, then its LoadBalancer Service (ServiceLB on the node's 80/443) is published into the Ingress status", () => {
    const v = traefikValues({ ingressClassName: "traefik", serviceMonitor: true });
    assert.equal(v.service.type, "LoadBalancer");
    assert.deepEqual(v.ports, { websecure: { tls: { enabled: true } } }, "websecure terminates TLS for the app Ingress; no empty `web: {}` (a no-op)");
    assert.equal(v.providers.kubernetesIngress.publishedService.enabled, true);
    assert.equal("additionalArguments" in v, false);
    assert.equal("updateStrategy" in v, false, "k3s ServiceLB holds the node ports, not the Traefik pod: the chart's surge roll works");
    assert.deepEqual(v.ingressClass, { enabled: true, isDefaultClass: true, name: "traefik" });
    // The chart's ServiceMonitor targets the dedicated metrics Service.
    assert.deepEqual(v.metrics.prometheus, { service: { enabled: true }, serviceMonitor: { enabled: true } });
  });

  it("when Dapr is configured for a small cluster, then the scheduler gets the PVC size and no dead replica keys, no placement, explicit resources", () => {
    const v = daprValues({ schedulerStorageSize: "1Gi" });
    assert.equal(v.dapr_scheduler.cluster.storageSize, "1Gi");
    // dapr/dapr v1.18.3 dapr_scheduler_statefulset.yaml: `replicas: 3` literal; these keys are read by no template.
    assert.deepEqual(Object.keys(v.dapr_scheduler).sort(), ["cluster", "resources"]);
    assert.equal(v.global.ha.enabled, false);
    assert.equal(v.global.actors.enabled, false);
    for (const c of [v.dapr_operator, v.dapr_sentry, v.dapr_sidecar_injector, v.dapr_scheduler]) assert.ok(c.resources.requests.cpu && c.resources.limits.memory);
  });

  it("when kube-prometheus-stack is configured, then selectors are open, unreachable control-plane monitors are off and Grafana reads its admin from a Secret", () => {
    const v = kubePrometheusStackValues({ host: "h", scheme: "http", ingressClassName: "traefik", grafanaAdminSecret: "grafana-admin", retention: "2d", storageSize: "4Gi" });
    for (const k of ["serviceMonitor", "podMonitor", "rule", "probe", "scrapeConfig"] as const) {
      assert.equal(v.prometheus.prometheusSpec[`${k}SelectorNilUsesHelmValues`], false, k);
    }
    for (const k of ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"] as const) assert.equal(v[k].enabled, false, k);
    // Their rule groups test `.Values.kubeEtcd.enabled` etc. (kps 77.6.2 rules-1.14/*.yaml): no moot defaultRules keys.
    assert.equal("defaultRules" in v, false);
    assert.deepEqual(v.grafana.admin, { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    assert.equal(v.crds.enabled, true);
  });

  it("when cert-manager is configured, then its CRDs come with the chart", () => {
    assert.equal(certManagerValues().crds.enabled, true);
  });
});
