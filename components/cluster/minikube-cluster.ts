import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import { kubeconfigCommand, minikubeDeleteCommand, minikubeStartCommand, type MinikubeSettings } from "./minikube-commands";

/** Arguments of {@link MinikubeCluster}: the profile's settings (documented on MinikubeSettings). */
export type MinikubeClusterArgs = MinikubeSettings;

/**
 * A Minikube profile driven by the stack: `minikube start` on create, `minikube delete` on destroy;
 * its kubeconfig is read back as a secret and feeds the exposed k8s.Provider.
 */
export class MinikubeCluster extends pulumi.ComponentResource {
  public readonly provider: k8s.Provider;
  /** Kubeconfig of the profile (secret: it holds the client key). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The profile name (`minikube -p <profile> …`). */
  public readonly profile: string;

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
        // A new driver or Kubernetes version means a new node: delete and start again.
        triggers: [args.profile, args.driver, args.kubernetesVersion, args.cni],
      },
      // Replace = delete the old profile FIRST: the default create-then-delete order would start the
      // (same-named) profile and then `minikube delete` it, leaving the stack without a cluster.
      { parent: this, customTimeouts: { create: "20m" }, deleteBeforeReplace: true },
    );
    const kubeconfig = new command.local.Command(
      `${name}-kubeconfig`,
      { create: kubeconfigCommand(args.profile), triggers: [start.id] },
      { parent: this, dependsOn: [start], additionalSecretOutputs: ["stdout"] },
    );
    this.kubeconfig = pulumi.secret(kubeconfig.stdout);
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this, dependsOn: [kubeconfig] });
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}
