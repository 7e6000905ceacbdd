// The local stack with `kubeContext` set: the user's cluster is used as is — no Minikube profile is
// started or deleted, the provider is bound to that context.
import assert from "node:assert/strict";
import type { OfflineStack } from "../../scripts/render/offline-stack";

describe("local stack with an existing kube context", () => {
  let stack: OfflineStack;

  before(async () => {
    const { runOfflineStack } = await import("../../scripts/render/offline-stack.js");
    stack = await runOfflineStack("local", { kubeContext: "my-minikube" });
  });

  it("when kubeContext is set, then no cluster is created or deleted", () => {
    assert.equal(stack.resources.filter((r) => r.type === "todo:cluster:MinikubeCluster").length, 0);
    const commands = stack.resources.filter((r) => r.type === "command:local:Command");
    assert.ok(commands.every((c) => !/minikube (start|delete)/.test(String(c.inputs.create) + String(c.inputs.delete))));
    assert.equal(stack.resources.filter((r) => r.type === "todo:cluster:ExistingCluster").length, 1);
  });

  it("when kubeContext is set, then the provider uses that context and images are built into it", () => {
    const provider = stack.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
    assert.equal(provider.inputs.context, "my-minikube");
    const build = stack.resources.find((r) => r.name === "app-image-backend-build")!;
    assert.match(String(build.inputs.create), /^minikube -p 'my-minikube' image build /);
  });
});
