import { isType, type ResourceRule } from "./types";

/** SSH and the Kubernetes API: only from the admin network (oci-network.ts), never from anywhere. */
export const ADMIN_PORTS = [22, 6443];
const WORLD = new Set(["0.0.0.0/0", "::/0"]);
/** OCI protocol numbers as strings (IANA): TCP is "6"; "all" is every protocol. */
const TCP_OR_ALL = new Set(["6", "all"]);

interface IngressRule {
  protocol?: string;
  source?: string;
  direction?: string;
  tcpOptions?: { min?: number; max?: number; destinationPortRange?: { min?: number; max?: number } };
}

/** The admin ports a rule opens to the world (none when it is narrower). */
export function worldOpenAdminPorts(rule: IngressRule): number[] {
  if (!rule.source || !WORLD.has(rule.source) || !TCP_OR_ALL.has(String(rule.protocol ?? "").toLowerCase())) return [];
  if (rule.protocol === "all" || !rule.tcpOptions) return ADMIN_PORTS;
  // SecurityList: min/max at the top of tcpOptions are the destination range; a NSG rule nests them.
  const range = rule.tcpOptions.destinationPortRange ?? rule.tcpOptions;
  const min = range.min ?? 1;
  const max = range.max ?? 65535;
  return ADMIN_PORTS.filter((p) => p >= min && p <= max);
}

export const closedAdminPorts: ResourceRule = {
  name: "no-admin-port-open-to-world",
  description: "No security list or network security group rule opens TCP 22 (SSH) or 6443 (Kubernetes API) to 0.0.0.0/0.",
  check(resource) {
    let rules: IngressRule[];
    if (isType(resource, "oci:Core/securityList:SecurityList")) rules = (resource.props.ingressSecurityRules as IngressRule[] | undefined) ?? [];
    else if (isType(resource, "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule")) {
      const rule = resource.props as IngressRule;
      rules = String(rule.direction ?? "").toUpperCase() === "INGRESS" ? [rule] : [];
    } else return [];
    return rules.flatMap((rule, i) => {
      const ports = worldOpenAdminPorts(rule);
      return ports.length ? [`ingress rule ${i} opens port ${ports.join(" and ")} to ${rule.source}`] : [];
    });
  },
};
