import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

/** Arguments of {@link ExistingCluster}. */
export interface ExistingClusterArgs {
  /** Kube context (from the default kubeconfig) of a cluster the stack neither creates nor deletes. */
  context: string;
}

/** A cluster the user already has: only a k8s.Provider bound to its context. */
export class ExistingCluster extends pulumi.ComponentResource {
  public readonly provider: k8s.Provider;

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:cluster:ExistingCluster", name, {}, opts);
    if (!args.context.trim()) throw new pulumi.ResourceError("kubeContext: expected a kube context name", this);
    this.provider = new k8s.Provider(`${name}-k8s`, { context: args.context }, { parent: this });
    this.registerOutputs({});
  }
}
