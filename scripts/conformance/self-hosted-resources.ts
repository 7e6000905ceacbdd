import { stringify } from "yaml";
import { DAPR_CONFIGURATION_NAME, localDaprResources, type DaprObject } from "@todo/contracts/dapr-resources";
import { SECRETSTORE_NAME } from "@todo/contracts/topology";

/**
 * The Dapr resources of the local stack (the ones `pulumi up -s local` deploys and `npm start` obeys)
 * for daprd in self-hosted mode: Redis on localhost without a password (the workflow's service
 * container), the environment as the secret store instead of Kubernetes Secrets, no namespace.
 * Resiliency, Subscriptions, cron bindings and every policy number are unchanged.
 */
export function selfHostedResources(redisHost = "localhost:6379"): { resources: DaprObject[]; configuration: DaprObject } {
  const all = localDaprResources().map((r): DaprObject => {
    const { namespace: _ns, ...metadata } = r.metadata;
    const o = { ...r, metadata: metadata as DaprObject["metadata"] };
    if (r.kind !== "Component") return o;
    if (r.spec.type === "pubsub.redis") {
      const items = (r.spec.metadata as Array<{ name: string; value?: string }>).filter((m) => m.name !== "redisPassword").map((m) => (m.name === "redisHost" ? { name: m.name, value: redisHost } : m));
      return { ...o, spec: { ...r.spec, metadata: items } };
    }
    if (r.metadata.name === SECRETSTORE_NAME) return { ...o, spec: { type: "secretstores.local.env", version: "v1", metadata: [] } };
    return o;
  });
  const configuration = all.find((r) => r.kind === "Configuration" && r.metadata.name === DAPR_CONFIGURATION_NAME)!;
  return { resources: all.filter((r) => r.kind !== "Configuration"), configuration };
}

export function toYaml(objects: readonly DaprObject[]): string {
  return objects.map((o) => stringify(o)).join("---\n");
}
