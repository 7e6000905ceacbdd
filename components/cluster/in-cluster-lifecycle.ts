import * as pulumi from "@pulumi/pulumi";

/** Kubernetes objects and Helm releases: everything that lives inside the cluster (not its provider). */
export function isInClusterType(type: string): boolean {
  return type.startsWith("kubernetes:");
}

/**
 * For a cluster the stack owns (its Minikube profile, its OCI nodes): every in-cluster resource is
 * `deletedWith` the resource whose deletion deletes the cluster. `pulumi destroy` then skips the
 * provider's Delete for them — no ~90 one-by-one deletes, and no "can't delete Helm Release with
 * unreachable cluster" (pulumi-kubernetes provider.go Delete refuses Helm releases on an unreachable
 * cluster even with deleteUnreachable) when the profile was stopped or deleted by hand.
 * Unlike `retainOnDelete`, this applies only when the cluster itself goes: a resource removed from the
 * program or replaced while the cluster stays is still deleted for real.
 */
// A (SDK-side) `transformations` entry, given to the components that create in-cluster resources: it
// reaches all their children. (Engine-side `transforms`/registerResourceTransform need callback support
// that Pulumi's mock monitor lacks, so the plan tests could not see them.)
export function deletedWithCluster(cluster: pulumi.Resource): pulumi.ResourceTransformation {
  return (args) => (isInClusterType(args.type) ? { props: args.props, opts: { ...args.opts, deletedWith: cluster } } : undefined);
}
