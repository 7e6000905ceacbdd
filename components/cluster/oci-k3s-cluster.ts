import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as core from "@pulumi/oci/core";
import * as identity from "@pulumi/oci/identity";
import * as random from "@pulumi/random";
import { remote } from "@pulumi/command";
import { K3S_SERVER_PROCESS, K3S_AGENT_PROCESS, OS_RESERVED } from "../budget";
import { OciNetwork } from "./oci-network";
import { A1_SHAPE, layoutProblems, resolveAvailabilityDomain } from "./node-layout";
import { kubeletReservation, renderScript, rewriteKubeconfigServer, scriptDigest, sshUserFor, type ScriptName } from "./k3s-bootstrap";

/** Arguments of {@link OciK3sCluster}. */
export interface OciK3sClusterArgs {
  /** OCID of the compartment that holds every resource of the cluster. */
  compartmentId: pulumi.Input<string>;
  /**
   * Availability domains in order of preference (full names, or `1`..`3` for the region's n-th AD).
   * Every node launches in the FIRST entry; on "Out of host capacity" the user moves the next one to
   * the front and runs `pulumi up` again (a failed create cannot be caught and retried by the program).
   */
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
  /** Pinned k3s release, e.g. `v1.33.5+k3s1`; changing it upgrades the nodes in place. */
  k3sVersion: string;
  /** Platform image to look up, e.g. `{ operatingSystem: "Canonical Ubuntu", operatingSystemVersion: "24.04" }`. */
  image: { operatingSystem: string; operatingSystemVersion: string };
}

/**
 * k3s on Oracle Cloud Always Free A1 instances: network, instances, bootstrap over SSH, and a
 * Kubernetes provider that is handed out only when every node is Ready.
 */
export class OciK3sCluster extends pulumi.ComponentResource {
  public readonly provider: k8s.Provider;
  /** Admin kubeconfig for `https://<public ip>:6443` (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Public IP of the server node (HTTP/HTTPS ingress and the Kubernetes API). */
  public readonly publicIp: pulumi.Output<string>;
  public readonly sshCommand: pulumi.Output<string>;

  constructor(name: string, args: OciK3sClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:cluster:OciK3sCluster", name, {}, opts);
    const problem = layoutProblems(args)[0];
    if (problem) throw new pulumi.ResourceError(`${problem.key}: ${problem.message}`, this);
    let sshUser: string;
    try {
      sshUser = sshUserFor(args.image.operatingSystem);
    } catch (err) {
      throw new pulumi.ResourceError((err as Error).message, this);
    }
    const self = { parent: this };
    const { compartmentId, k3sVersion } = args;

    const network = new OciNetwork(`${name}-network`, { compartmentId, adminCidr: args.adminCidr }, self);

    // The shape filter is what selects aarch64 builds: OCI lists only images compatible with A1.
    // Newest first, so a fresh cluster gets the latest patched image.
    const image = core.getImagesOutput(
      {
        compartmentId,
        operatingSystem: args.image.operatingSystem,
        operatingSystemVersion: args.image.operatingSystemVersion,
        shape: A1_SHAPE,
        state: "AVAILABLE",
        sortBy: "TIMECREATED",
        sortOrder: "DESC",
      },
      self,
    );
    const imageId = image.images.apply((images) => {
      if (images.length === 0) {
        throw new Error(`image: no ${args.image.operatingSystem} ${args.image.operatingSystemVersion} image for ${A1_SHAPE} in this region`);
      }
      return images[0].id;
    });
    const availabilityDomain = identity
      .getAvailabilityDomainsOutput({ compartmentId }, self)
      .availabilityDomains.apply((ads) => resolveAvailabilityDomain(args.availabilityDomains[0], ads.map((ad) => ad.name)));

    const instances = args.nodes.map(
      (node, i) =>
        new core.Instance(
          `${name}-node-${i}`,
          {
            compartmentId,
            availabilityDomain,
            displayName: `${name}-node-${i}`,
            shape: A1_SHAPE,
            shapeConfig: { ocpus: node.ocpus, memoryInGbs: node.memoryGbs },
            sourceDetails: { sourceType: "image", sourceId: imageId, bootVolumeSizeInGbs: String(args.bootVolumeSizeGbs) },
            createVnicDetails: { subnetId: network.subnetId, assignPublicIp: "true" },
            // Only the public key: every secret travels later over SSH, never through user data.
            metadata: { ssh_authorized_keys: args.sshPublicKey },
            preserveBootVolume: false,
          },
          // A newer image must not replace a running node on the next `up`; replace it on purpose with
          // `pulumi up --replace <urn>`.
          { ...self, dependsOn: [network], ignoreChanges: ["sourceDetails.sourceId"] },
        ),
    );

    // Generated here rather than read back from the server, so it never crosses stdout or a log line.
    const token = new random.RandomPassword(`${name}-k3s-token`, { length: 48, special: false }, self);

    const run = (role: string, instance: core.Instance, script: ScriptName, stdin: pulumi.Input<string>, dependsOn: pulumi.Resource[], secretStdout = false) =>
      new remote.Command(
        `${name}-${role}`,
        {
          connection: {
            host: instance.publicIp,
            user: sshUser,
            privateKey: args.sshPrivateKey,
            // The instance is RUNNING before sshd accepts connections: retry the dial for ~5 minutes.
            dialErrorLimit: 30,
            perDialTimeout: 10,
          },
          create: "sudo bash -s",
          stdin,
          // Re-run only when the script or the k3s version changes (or the node is replaced).
          triggers: [scriptDigest(script), k3sVersion, instance.id],
          ...(secretStdout ? { logging: "stderr" as const } : {}),
        },
        { ...self, dependsOn, ...(secretStdout ? { additionalSecretOutputs: ["stdout"] } : {}) },
      );

    const reserved = (process: { cpuMillicores: number; memoryMiB: number }) => ({
      KUBE_RESERVED: kubeletReservation(process),
      SYSTEM_RESERVED: kubeletReservation(OS_RESERVED),
    });

    const prepared = instances.map((instance, i) => {
      const wait = run(`node-${i}-cloud-init`, instance, "wait-for-cloud-init", renderScript("wait-for-cloud-init", {}), [instance]);
      return run(`node-${i}-firewall`, instance, "open-host-firewall", renderScript("open-host-firewall", {}), [wait]);
    });

    const [server, ...agentInstances] = instances;
    const serverStdin = pulumi.secret(
      pulumi.all([server.publicIp, server.privateIp, token.result]).apply(([publicIp, privateIp, t]) =>
        renderScript("install-k3s-server", {
          K3S_VERSION: k3sVersion,
          PUBLIC_IP: publicIp,
          PRIVATE_IP: privateIp,
          K3S_TOKEN: t,
          ...reserved(K3S_SERVER_PROCESS),
        }),
      ),
    );
    const k3sServer = run("k3s-server", server, "install-k3s-server", serverStdin, [prepared[0]]);

    const agents = agentInstances.map((instance, j) => {
      const i = j + 1;
      const stdin = pulumi.secret(
        pulumi.all([server.privateIp, instance.privateIp, token.result]).apply(([serverIp, privateIp, t]) =>
          renderScript("install-k3s-agent", {
            K3S_VERSION: k3sVersion,
            SERVER_IP: serverIp,
            PRIVATE_IP: privateIp,
            K3S_TOKEN: t,
            ...reserved(K3S_AGENT_PROCESS),
          }),
        ),
      );
      return run(`k3s-agent-${i}`, instance, "install-k3s-agent", stdin, [prepared[i], k3sServer]);
    });

    const nodesReady = run(
      "nodes-ready",
      server,
      "wait-for-nodes",
      renderScript("wait-for-nodes", { EXPECTED_NODES: String(instances.length) }),
      [k3sServer, ...agents],
    );
    const fetchKubeconfig = run("kubeconfig", server, "read-kubeconfig", renderScript("read-kubeconfig", {}), [nodesReady], true);

    this.publicIp = server.publicIp;
    this.kubeconfig = pulumi.secret(
      pulumi.all([fetchKubeconfig.stdout, server.publicIp]).apply(([raw, ip]) => rewriteKubeconfigServer(raw, ip)),
    );
    this.sshCommand = pulumi.interpolate`ssh ${sshUser}@${server.publicIp}`;
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { ...self, dependsOn: [fetchKubeconfig] });
    this.registerOutputs({ publicIp: this.publicIp, kubeconfig: this.kubeconfig, sshCommand: this.sshCommand });
  }
}
