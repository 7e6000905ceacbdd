import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

/** Arguments of {@link OciK3sCluster}. */
export interface OciK3sClusterArgs {
  /** OCID of the compartment that holds every resource of the cluster. */
  compartmentId: pulumi.Input<string>;
  /** Availability domains to place nodes in, in order of preference (names or 1-based indices). */
  availabilityDomains: string[];
  /** One entry per node; the first is the k3s server, the rest join as agents. */
  nodes: { ocpus: number; memoryGbs: number }[];
  /** Boot volume size of every node in GB (50 minimum; nodes × size ≤ 200 Always Free). */
  bootVolumeSizeGbs: number;
  /** OpenSSH public key put in the instances' metadata. */
  sshPublicKey: pulumi.Input<string>;
  /** Matching private key (a Pulumi secret) used by the bootstrap commands. */
  sshPrivateKey: pulumi.Input<string>;
  /** CIDR allowed to reach SSH (22) and the Kubernetes API (6443). */
  adminCidr: string;
  /** Pinned k3s release, e.g. `v1.33.5+k3s1`. */
  k3sVersion: string;
  /** Platform image to look up, e.g. `{ operatingSystem: "Canonical Ubuntu", operatingSystemVersion: "24.04" }`. */
  image: { operatingSystem: string; operatingSystemVersion: string };
}

/** Skeleton: filled in by the cloud-cluster work (issue 5). */
export class OciK3sCluster extends pulumi.ComponentResource {
  public readonly provider: k8s.Provider;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly publicIp: pulumi.Output<string>;
  public readonly sshCommand: pulumi.Output<string>;

  constructor(name: string, args: OciK3sClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:cluster:OciK3sCluster", name, {}, opts);
    this.publicIp = pulumi.output("0.0.0.0");
    this.kubeconfig = pulumi.secret("");
    this.sshCommand = pulumi.interpolate`ssh ${args.adminCidr}`;
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });
    this.registerOutputs({ publicIp: this.publicIp, sshCommand: this.sshCommand });
  }
}
