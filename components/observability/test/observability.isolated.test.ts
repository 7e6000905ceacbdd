import assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Observability } from "../observability";

interface Created {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
}

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("Observability component (Pulumi mock runtime)", () => {
  const created: Created[] = [];

  // The component creates nothing at import time, so the mocks only need to be set before it is built.
  before(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          created.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown>, provider: args.provider });
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "todo-platform",
      "test",
      false,
    );
  });

  it("when it is instantiated after the monitoring release, then it creates four dashboards, one rule and three monitors through the given provider", async () => {
    const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    const release = new k8s.helm.v3.Release("kube-prometheus-stack", { chart: "kube-prometheus-stack", namespace: "monitoring" }, { provider });
    const obs = new Observability(
      "obs",
      { appNamespace: "todo", monitoringNamespace: "monitoring", daprNamespace: "dapr-system" },
      { provider, dependsOn: [release] },
    );
    await promiseOf(obs.urn);
    await Promise.all([...obs.dashboardConfigMaps, obs.prometheusRule, ...obs.podMonitors].map((r) => promiseOf(r.urn)));

    const children = created.filter((c) => c.name.startsWith("obs-"));
    const byType = (t: string) => children.filter((c) => c.type === t);
    assert.equal(byType("kubernetes:core/v1:ConfigMap").length, 4);
    assert.deepEqual(byType("kubernetes:monitoring.coreos.com/v1:PrometheusRule").map((c) => c.name), ["obs-alerts"]);
    assert.deepEqual(byType("kubernetes:monitoring.coreos.com/v1:PodMonitor").map((c) => c.name).sort(), ["obs-dapr-control-plane", "obs-dapr-sidecars", "obs-services"]);
    for (const c of children) {
      assert.match(c.provider ?? "", /::cluster::/, `${c.name} does not use the cluster provider`);
      assert.equal((c.inputs.metadata as { namespace: string }).namespace, "monitoring");
    }
    assert.deepEqual(obs.dashboardNames, ["event-processing", "reminder-scheduling", "system-health", "task-operations"]);
  });

  it("when a namespace arg is not a namespace name, then it fails naming the key", () => {
    assert.throws(
      () => new Observability("bad", { appNamespace: "todo", monitoringNamespace: "Monitoring!", daprNamespace: "dapr-system" }),
      /monitoringNamespace must be a Kubernetes namespace name/,
    );
  });
});
