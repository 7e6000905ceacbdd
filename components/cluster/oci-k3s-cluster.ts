import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as core from "@pulumi/oci/core";
import * as identity from "@pulumi/oci/identity";
import * as random from "@pulumi/random";
import { remote } from "@pulumi/command";
import { K3S_SERVER_PROCESS, K3S_AGENT_PROCESS, OS_RESERVED } from "../budget";
import { OciNetwork } from "./oci-network";
import { A1_SHAPE, layoutProblems, pickAvailabilityDomain, resolveAvailabilityDomain, type AdChoice } from "./node-layout";
import { kubeletReservation, renderScript, rewriteKubeconfigServer, scriptDigest, sshUserFor, type ScriptName } from "./k3s-bootstrap";

/** Arguments of {@link OciK3sCluster}. */
export interface OciK3sClusterArgs {
  /** OCID of the compartment that holds every resource of the cluster. */
  compartmentId: pulumi.Input<string>;
  /**
   * Availability domains in order of preference (full names, or `1`..`3` for the region's n-th AD).
   * With `tenancyId`, every run asks OCI's compute capacity report which of them has A1 capacity for
   * the nodes and launches in the first that has; without it, in the first entry.
   */
  availabilityDomains: string[];
  /** Tenancy (root compartment) OCID: the compute capacity report only answers for the root compartment. */
  tenancyId?: string;
  /**
   * Off (default): the nodes are `protect`ed, so a change that would replace one (and wipe its disk)
   * stops `pulumi up` with the engine's "marked for protection" error instead. On: replacements go
   * through, delete-first (Always Free has room for only one 2-OCPU node at a time).
   */
  allowNodeReplacement?: boolean;
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
  /** The NSG CI opens for its runner's address for the length of one job (see OciNetwork). */
  public readonly ciAccessNsgId: pulumi.Output<string>;
  /** The AD the nodes launch in and why (capacity report answers). */
  public readonly availabilityDomainChoice: pulumi.Output<string>;
  /** Deleting this resource deletes the cluster (k3s and its disk): in-cluster resources are `deletedWith` it. */
  public readonly lifecycle: pulumi.Resource;

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
    const candidates = identity
      .getAvailabilityDomainsOutput({ compartmentId }, self)
      .availabilityDomains.apply((ads) => args.availabilityDomains.map((entry) => resolveAvailabilityDomain(entry, ads.map((ad) => ad.name))));
    const largest = args.nodes.reduce((a, n) => (n.ocpus * 100 + n.memoryGbs > a.ocpus * 100 + a.memoryGbs ? n : a));
    let choice: pulumi.Output<AdChoice>;
    if (args.tenancyId) {
      // One report per candidate AD, taken fresh on every run (replacementTrigger): a report kept in
      // the state would answer "Out of host capacity" forever. The node's own AD is ignoreChanges, so a
      // different answer later never moves (replaces) a running node.
      const runId = new Date().toISOString();
      const reports = args.availabilityDomains.map(
        (_entry, i) =>
          new core.ComputeCapacityReport(
            `${name}-capacity-${i}`,
            {
              compartmentId: args.tenancyId!,
              availabilityDomain: candidates.apply((c) => c[i]),
              shapeAvailabilities: [{ instanceShape: A1_SHAPE, instanceShapeConfig: { ocpus: largest.ocpus, memoryInGbs: largest.memoryGbs } }],
            },
            { ...self, replacementTrigger: runId },
          ),
      );
      choice = pulumi.all(reports.map((r) => pulumi.all([r.availabilityDomain, r.shapeAvailabilities]))).apply((answers) =>
        pickAvailabilityDomain(
          answers.map(([ad, shapes]) => ({
            availabilityDomain: ad,
            status: shapes.map((x) => x.availabilityStatus).find((x) => x !== "AVAILABLE") ?? (shapes.length ? "AVAILABLE" : "UNKNOWN"),
            availableCount: Math.min(...shapes.map((x) => Number(x.availableCount) || 0)),
          })),
          args.nodes.length,
          A1_SHAPE,
        ),
      );
    } else {
      choice = candidates.apply((c) => ({ availabilityDomain: c[0], hasCapacity: true, reason: `no tenancyId for the capacity report: the first listed AD, ${c[0]}` }));
    }
    const availabilityDomain = choice.apply((c) => {
      (c.hasCapacity ? pulumi.log.info : pulumi.log.warn)(`nodes launch in ${c.availabilityDomain} (${c.reason})`, this);
      return c.availabilityDomain;
    });
    this.availabilityDomainChoice = choice.apply((c) => `${c.availabilityDomain}: ${c.reason}`);

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
            createVnicDetails: { subnetId: network.subnetId, assignPublicIp: "true", nsgIds: [network.ciAccessNsgId] },
            // Only the public key: every secret travels later over SSH, never through user data.
            metadata: { ssh_authorized_keys: args.sshPublicKey },
            preserveBootVolume: false,
          },
          {
            ...self,
            dependsOn: [network],
            // Neither a newer image nor another AD answer of the capacity report may replace a running node.
            ignoreChanges: ["sourceDetails.sourceId", "availabilityDomain"],
            // Always Free holds ONE 2-OCPU/12-GB A1 node: a create-first replacement fails on the limit.
            deleteBeforeReplace: true,
            // Any other change that would replace a node (its disk, k3s and every PVC) is refused by the
            // engine until allowNodeReplacement is set (docs/TROUBLESHOOTING.md "marked for protection").
            protect: !args.allowNodeReplacement,
          },
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

    // The public IP as OCI reports it NOW (an ephemeral IP changes when the instance is stopped and
    // started): read on every run, not the value saved in the state at create.
    const currentIp = server.id.apply((id) => (id ? core.getInstanceOutput({ instanceId: id }, self).publicIp : server.publicIp));
    this.publicIp = currentIp;
    this.kubeconfig = pulumi.secret(pulumi.all([fetchKubeconfig.stdout, currentIp]).apply(([raw, ip]) => rewriteKubeconfigServer(raw, ip)));
    this.sshCommand = pulumi.interpolate`ssh ${sshUser}@${currentIp}`;
    this.lifecycle = server;
    this.ciAccessNsgId = network.ciAccessNsgId;
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: this.kubeconfig,
        // pulumi-kubernetes provider.go DiffConfig: a new server address in the kubeconfig updates the
        // provider while this identifier is unchanged; a new server instance (new id) replaces it.
        clusterIdentifier: pulumi.interpolate`oci-k3s/${server.id}`,
        // Terminated/unreachable nodes: destroy and refresh drop in-cluster objects from the state.
        deleteUnreachable: true,
      },
      { ...self, dependsOn: [fetchKubeconfig] },
    );
    this.registerOutputs({ publicIp: this.publicIp, kubeconfig: this.kubeconfig, sshCommand: this.sshCommand });
  }
}
