import * as pulumi from "@pulumi/pulumi";
import * as core from "@pulumi/oci/core";

/** Arguments of {@link OciNetwork}. */
export interface OciNetworkArgs {
  /** OCID of the compartment that holds the network. */
  compartmentId: pulumi.Input<string>;
  /** CIDR allowed to reach SSH (22) and the Kubernetes API (6443). */
  adminCidr: string;
  /** Address space of the VCN; every node talks to every other freely inside it. */
  vcnCidr?: string;
  /** The public subnet inside `vcnCidr` that the nodes are placed in. */
  subnetCidr?: string;
}

export const DEFAULT_VCN_CIDR = "10.0.0.0/16";
export const DEFAULT_SUBNET_CIDR = "10.0.1.0/24";
const ANYWHERE = "0.0.0.0/0";
// OCI security rules take IANA protocol numbers as strings.
export const PROTOCOL = { all: "all", icmp: "1", tcp: "6" } as const;

export type IngressRule = core.SecurityListArgs["ingressSecurityRules"] extends pulumi.Input<infer A> | undefined
  ? A extends pulumi.Input<infer R>[]
    ? R
    : never
  : never;

function tcpFrom(source: string, port: number, description: string): IngressRule {
  // min/max at the top level of tcpOptions are the DESTINATION port range; sourcePortRange is left unset.
  return { protocol: PROTOCOL.tcp, source, sourceType: "CIDR_BLOCK", stateless: false, tcpOptions: { min: port, max: port }, description };
}

/**
 * The perimeter of the cluster: SSH and the Kubernetes API only from the admin network, HTTP(S) from
 * anywhere (ACME HTTP-01 needs 80), everything between the nodes, and the ICMP "fragmentation needed"
 * message without which path-MTU discovery breaks TLS over the internet gateway.
 */
export function ingressRules(adminCidr: string, vcnCidr: string = DEFAULT_VCN_CIDR): IngressRule[] {
  return [
    tcpFrom(adminCidr, 22, "SSH from the admin network"),
    tcpFrom(adminCidr, 6443, "Kubernetes API from the admin network"),
    tcpFrom(ANYWHERE, 80, "HTTP (ACME HTTP-01, redirect to HTTPS)"),
    tcpFrom(ANYWHERE, 443, "HTTPS"),
    { protocol: PROTOCOL.all, source: vcnCidr, sourceType: "CIDR_BLOCK", stateless: false, description: "All traffic between the nodes (flannel VXLAN, kubelet, agents)" },
    { protocol: PROTOCOL.icmp, source: ANYWHERE, sourceType: "CIDR_BLOCK", stateless: false, icmpOptions: { type: 3, code: 4 }, description: "Path MTU discovery" },
  ];
}

/** Checks an IPv4 CIDR such as `203.0.113.7/32`; returns a message or undefined. */
export function cidrProblem(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return `"${cidr}" is not an IPv4 CIDR such as 203.0.113.7/32`;
  if (m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) return `"${cidr}" is out of range`;
  return undefined;
}

/** VCN, internet gateway, route table, security list and one public subnet for the k3s nodes. */
export class OciNetwork extends pulumi.ComponentResource {
  public readonly vcnId: pulumi.Output<string>;
  public readonly subnetId: pulumi.Output<string>;
  /**
   * An empty network security group on every node's VNIC. CI adds a rule for ITS runner's address
   * (22 and 6443 only) before `pulumi up` and removes it in an `if: always()` step (deploy.yml,
   * preview.yml): GitHub-hosted runners get no standing access, and adminCidr stays one /32.
   */
  public readonly ciAccessNsgId: pulumi.Output<string>;
  public readonly vcnCidr: string;

  constructor(name: string, args: OciNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:cluster:OciNetwork", name, {}, opts);
    const problem = cidrProblem(args.adminCidr);
    if (problem) throw new pulumi.ResourceError(`adminCidr: ${problem}`, this);
    this.vcnCidr = args.vcnCidr ?? DEFAULT_VCN_CIDR;
    const subnetCidr = args.subnetCidr ?? DEFAULT_SUBNET_CIDR;
    const self = { parent: this };
    const compartmentId = args.compartmentId;

    const vcn = new core.Vcn(`${name}-vcn`, { compartmentId, cidrBlocks: [this.vcnCidr], displayName: `${name}-vcn` }, self);
    const internetGateway = new core.InternetGateway(
      `${name}-igw`,
      { compartmentId, vcnId: vcn.id, enabled: true, displayName: `${name}-igw` },
      self,
    );
    const routeTable = new core.RouteTable(
      `${name}-routes`,
      {
        compartmentId,
        vcnId: vcn.id,
        displayName: `${name}-routes`,
        routeRules: [{ destination: ANYWHERE, destinationType: "CIDR_BLOCK", networkEntityId: internetGateway.id, description: "Internet" }],
      },
      self,
    );
    const securityList = new core.SecurityList(
      `${name}-security`,
      {
        compartmentId,
        vcnId: vcn.id,
        displayName: `${name}-security`,
        ingressSecurityRules: ingressRules(args.adminCidr, this.vcnCidr),
        egressSecurityRules: [{ protocol: PROTOCOL.all, destination: ANYWHERE, destinationType: "CIDR_BLOCK", stateless: false, description: "Outbound (images, k3s, ACME, Kafka)" }],
      },
      self,
    );
    const subnet = new core.Subnet(
      `${name}-subnet`,
      {
        compartmentId,
        vcnId: vcn.id,
        cidrBlock: subnetCidr,
        displayName: `${name}-public`,
        routeTableId: routeTable.id,
        securityListIds: [securityList.id],
        prohibitPublicIpOnVnic: false,
      },
      self,
    );
    const ciAccess = new core.NetworkSecurityGroup(`${name}-ci-access`, { compartmentId, vcnId: vcn.id, displayName: `${name}-ci-access` }, self);
    this.vcnId = vcn.id;
    this.subnetId = subnet.id;
    this.ciAccessNsgId = ciAccess.id;
    this.registerOutputs({ vcnId: this.vcnId, subnetId: this.subnetId, ciAccessNsgId: this.ciAccessNsgId });
  }
}
