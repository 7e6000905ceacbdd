import assert from "node:assert/strict";
import { budgetTable, chartLines, chartVolumeLines, hpaMaxReplicas, k3sBaseline, requestsOf, sumBudget, workloadLines, type BudgetLine } from "../../policy/budget";

describe("budget arithmetic", () => {
  it("when a container has no explicit requests, then it is named", () => {
    assert.throws(() => requestsOf({ limits: { cpu: "1" } }, "dapr/dapr_operator"), /dapr\/dapr_operator: no explicit CPU and memory requests/);
    assert.deepEqual(requestsOf({ requests: { cpu: "50m", memory: "64Mi" } }, "x"), { cpuMillicores: 50, memoryMiB: 64 });
  });

  it("when lines are summed, then replicas multiply and the 80% line decides whether it fits", () => {
    const lines: BudgetLine[] = [{ component: "a", source: "app", replicas: 2, perReplica: { cpuMillicores: 400, memoryMiB: 1024 } }];
    const fits = sumBudget(lines);
    assert.deepEqual(fits.total, { cpuMillicores: 800, memoryMiB: 2048 });
    assert.equal(fits.limit.cpuMillicores, 1600);
    assert.equal(fits.fits, true);
    const tooMuch = sumBudget([...lines, { component: "b", source: "chart", replicas: 1, perReplica: { cpuMillicores: 801, memoryMiB: 1 } }]);
    assert.equal(tooMuch.fits, false);
  });

  it("when the layout has two nodes, then the agent process and a second OS reservation are counted", () => {
    const one = sumBudget(k3sBaseline(1)).total;
    const two = sumBudget(k3sBaseline(2)).total;
    assert.ok(two.cpuMillicores > one.cpuMillicores && two.memoryMiB > one.memoryMiB);
  });

  it("when the table is printed, then each line, the total and the limit appear", () => {
    const table = budgetTable(sumBudget(k3sBaseline(1)));
    assert.match(table, /\| k3s\/server process \| k3s \| 1 \| 300m \| 1600Mi \|/);
    assert.match(table, /\| \*\*total\*\* \|/);
    assert.match(table, /limit \(80% of 2000m \/ 12288Mi\)/);
  });

  const req = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu: "1", memory: "1Gi" } });

  it("when Dapr values are read, then each control-plane service counts once (three times under HA), the scheduler always three times, placement is skipped without actors", () => {
    const values = {
      global: { ha: { enabled: false }, actors: { enabled: false } },
      dapr_operator: { resources: req("25m", "48Mi") },
      dapr_sentry: { resources: req("10m", "32Mi") },
      dapr_sidecar_injector: { resources: req("10m", "32Mi") },
      // replicaCount is what the old budget trusted: the chart 1.18.3 ignores it (replicas: 3 literal).
      dapr_scheduler: { replicaCount: 1, cluster: { storageSize: "1Gi" }, resources: req("25m", "64Mi") },
    };
    const lines = chartLines("dapr", values, 1);
    assert.deepEqual(lines.map((l) => [l.component, l.replicas]), [
      ["dapr/dapr_operator", 1],
      ["dapr/dapr_sentry", 1],
      ["dapr/dapr_sidecar_injector", 1],
      ["dapr/dapr_scheduler", 3],
    ]);
    assert.deepEqual(chartVolumeLines("dapr", values), [{ component: "dapr/dapr_scheduler", count: 3, eachGiB: 1 }], "one PVC per scheduler replica");
    assert.deepEqual(chartVolumeLines("dapr", { ...values, dapr_scheduler: { ...values.dapr_scheduler, cluster: { inMemoryStorage: true } } }), []);
    const ha = chartLines("dapr", { ...values, global: { ha: { enabled: true }, actors: { enabled: false } } }, 1);
    assert.equal(ha.find((l) => l.component === "dapr/dapr_operator")!.replicas, 3);
  });

  it("when a chart component has no explicit requests, then the budget fails naming the values path", () => {
    assert.throws(() => chartLines("traefik", { deployment: { replicas: 1 } }, 1), /traefik\/traefik \(values\.resources\): no explicit CPU and memory requests/);
    assert.throws(() => chartLines("nginx", {}, 1), /chart "nginx": unknown to the budget/);
  });

  it("when the node exporter runs on two nodes, then it counts twice; Grafana's two sidecars count as two containers", () => {
    const values = {
      prometheusOperator: { resources: req("25m", "64Mi"), prometheusConfigReloader: { resources: req("5m", "16Mi") } },
      prometheus: { prometheusSpec: { resources: req("100m", "384Mi") } },
      alertmanager: { alertmanagerSpec: { resources: req("10m", "32Mi") } },
      grafana: { resources: req("50m", "128Mi"), sidecar: { resources: req("10m", "48Mi"), dashboards: { enabled: true }, datasources: { enabled: true } } },
      "kube-state-metrics": { resources: req("10m", "32Mi") },
      "prometheus-node-exporter": { resources: req("10m", "24Mi") },
    };
    const lines = chartLines("kube-prometheus-stack", values, 2);
    assert.equal(lines.find((l) => l.component.endsWith("node-exporter"))!.replicas, 2);
    assert.deepEqual(lines.find((l) => l.component.endsWith("grafana sidecars"))!.perReplica, { cpuMillicores: 20, memoryMiB: 96 });
    assert.equal(lines.find((l) => l.component.endsWith("config-reloader"))!.replicas, 2);
  });

  it("when a Deployment has a Dapr sidecar, then the container and the sidecar count per replica; a missing annotation fails", () => {
    const deployment = (annotations: Record<string, string>) => ({
      metadata: { name: "backend" },
      spec: {
        replicas: 2,
        template: {
          metadata: { annotations },
          spec: { containers: [{ name: "backend", resources: req("50m", "96Mi") }], initContainers: [{ name: "migrate", resources: req("20m", "64Mi") }] },
        },
      },
    });
    const lines = workloadLines("Deployment", deployment({ "dapr.io/enabled": "true", "dapr.io/sidecar-cpu-request": "25m", "dapr.io/sidecar-memory-request": "48Mi" }), 1);
    assert.deepEqual(lines, [
      { component: "backend", source: "app", replicas: 2, perReplica: { cpuMillicores: 50, memoryMiB: 96 } },
      { component: "backend/daprd", source: "sidecar", replicas: 2, perReplica: { cpuMillicores: 25, memoryMiB: 48 } },
    ]);
    assert.throws(() => workloadLines("Deployment", deployment({ "dapr.io/enabled": "true" }), 1), /Deployment backend: Dapr sidecar without/);
    assert.throws(
      () => workloadLines("StatefulSet", { metadata: { name: "pg" }, spec: { template: { spec: { containers: [{ name: "pg" }] } } } }, 1),
      /StatefulSet pg, container pg: no explicit CPU and memory requests/,
    );
  });

  it("when an HPA scales a Deployment, then its app and sidecar lines count the HPA maximum, never less than the declared replicas", () => {
    const max = hpaMaxReplicas([{ spec: { scaleTargetRef: { name: "backend" }, maxReplicas: 4 } }]);
    assert.equal(max.get("backend"), 4);
    const deployment = {
      metadata: { name: "backend" },
      spec: {
        replicas: 2,
        template: { metadata: { annotations: { "dapr.io/enabled": "true", "dapr.io/sidecar-cpu-request": "20m", "dapr.io/sidecar-memory-request": "48Mi" } }, spec: { containers: [{ name: "backend", resources: req("25m", "96Mi") }] } },
      },
    };
    assert.deepEqual(workloadLines("Deployment", deployment, 1, max.get("backend")).map((l) => l.replicas), [4, 4]);
    assert.deepEqual(workloadLines("Deployment", deployment, 1, 1).map((l) => l.replicas), [2, 2]);
    assert.throws(() => hpaMaxReplicas([{ spec: { maxReplicas: 2 } }]), /HPA without scaleTargetRef/);
  });
});
