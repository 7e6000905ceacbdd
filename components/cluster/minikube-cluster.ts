import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import { kubeconfigCommand, minikubeDeleteCommand, minikubeStartCommand, recreateTriggers, type MinikubeSettings } from "./minikube-commands";
import { BASH } from "./shell";

/** Arguments of {@link MinikubeCluster}: the profile's settings (documented on MinikubeSettings). */
export type MinikubeClusterArgs = MinikubeSettings;

/**
 * A Minikube profile driven by the stack: `minikube start` on create, `minikube delete` on destroy;
 * its kubeconfig is re-read on every run and feeds the exposed k8s.Provider.
 */
export class MinikubeCluster extends pulumi.ComponentResource {
  public readonly provider: k8s.Provider;
  /** Kubeconfig of the profile (secret: it holds the client key). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The profile name (`minikube -p <profile> …`). */
  public readonly profile: string;
  /**
   * The resource whose deletion deletes the cluster and everything in it: in-cluster resources are
   * `deletedWith` it, so `pulumi destroy` does not delete them one by one (or fail on a stopped cluster).
   */
  public readonly lifecycle: pulumi.Resource;

  constructor(name: string, args: MinikubeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:cluster:MinikubeCluster", name, {}, opts);
    if (args.addons.includes("ingress")) throw new pulumi.ResourceError("addons: the ingress addon conflicts with the Traefik release", this);
    if (args.cpus < 2) throw new pulumi.ResourceError("cpus: Minikube needs at least 2", this);
    this.profile = args.profile;

    const start = new command.local.Command(
      `${name}-start`,
      {
        create: minikubeStartCommand(args),
        delete: minikubeDeleteCommand(args.profile),
        // Through bash on every OS: the commands use single quotes and `>&2` (cmd.exe has neither).
        interpreter: BASH,
        // A new driver, Kubernetes version, CPU count or memory size needs a new node (minikube only
        // warns and keeps the old size): the profile is deleted and started again, on purpose.
        triggers: recreateTriggers(args),
      },
      // Replace = delete the old profile FIRST: the default create-then-delete order would start the
      // (same-named) profile and then `minikube delete` it, leaving the stack without a cluster.
      { parent: this, customTimeouts: { create: "20m" }, deleteBeforeReplace: true },
    );
    this.lifecycle = start;
    // An invoke, not a resource: it runs on every preview/up (the API port moves on each restart of the
    // Docker driver on macOS/Windows) and its output is never logged. Before the profile exists (first
    // preview) `start.id` is unknown and so is the kubeconfig.
    const kubeconfig = start.id.apply((id) =>
      id
        ? command.local.runOutput({ command: kubeconfigCommand(args.profile), interpreter: BASH, logging: "stderr" }, { parent: this }).stdout
        : pulumi.output(""),
    );
    this.kubeconfig = pulumi.secret(kubeconfig);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: this.kubeconfig,
        // pulumi-kubernetes v4 provider.go DiffConfig: with clusterIdentifier set and unchanged, a changed
        // kubeconfig (new port) UPDATES the provider instead of replacing it and every resource on it.
        // It changes only when the profile is recreated (a new command id): then everything is replaced.
        clusterIdentifier: pulumi.interpolate`minikube/${args.profile}/${start.id}`,
        // A stopped or hand-deleted profile: destroy/refresh drop its objects from the state
        // (provider.go Delete/Read, `deleteUnreachable`) instead of failing.
        deleteUnreachable: true,
      },
      { parent: this, dependsOn: [start] },
    );
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}
