import assert from "node:assert/strict";
import { kubeconfigCommand, minikubeDeleteCommand, minikubeStartCommand } from "../minikube-commands";

const settings = { profile: "todo-platform", driver: "docker", cpus: 4, memoryMb: 8192, kubernetesVersion: "v1.33.1", cni: "calico", addons: ["metrics-server", "storage-provisioner"] };

describe("Minikube commands", () => {
  it("when the profile starts, then driver, CPUs, memory, Kubernetes version, CNI and addons come from config", () => {
    assert.equal(
      minikubeStartCommand(settings),
      "minikube start -p 'todo-platform' --driver='docker' --cpus=4 --memory=8192mb --kubernetes-version='v1.33.1' --cni='calico' --addons='metrics-server,storage-provisioner' --wait=all",
    );
  });

  it("when no addons are asked for, then no --addons flag is passed", () => {
    assert.doesNotMatch(minikubeStartCommand({ ...settings, addons: [] }), /--addons/);
  });

  it("when the stack is destroyed, then only its own profile is deleted", () => {
    assert.equal(minikubeDeleteCommand("todo-platform"), "minikube delete -p 'todo-platform'");
  });

  it("when the kubeconfig is read, then nodes are awaited first and credentials are inlined", () => {
    const cmd = kubeconfigCommand("todo-platform");
    assert.ok(cmd.indexOf("wait --for=condition=Ready nodes") < cmd.indexOf("config view"));
    assert.match(cmd, /kubectl config view --raw --flatten --minify --context 'todo-platform'$/);
  });

  it("when a profile name holds a quote, then it stays one shell word", () => {
    assert.equal(minikubeDeleteCommand("a'b"), "minikube delete -p 'a'\\''b'");
  });
});
