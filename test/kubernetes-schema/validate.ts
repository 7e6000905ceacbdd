// Schema validation of rendered Kubernetes objects without a cluster: kubernetes-models for core kinds
// and the prometheus-operator / cert-manager / traefik CRDs, ajv against Dapr's own CRD schemas
// (copied from ../shared/schemas/dapr-crds, Dapr v1.18.3) for Dapr kinds. An object of a kind we
// have no schema for is an error, so nothing passes unchecked.
import Ajv, { type ValidateFunction } from "ajv";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface KubernetesObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown };
  [key: string]: unknown;
}

const DAPR_CRD_DIR = join(__dirname, "dapr-crds");

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
}

let daprValidators: Map<string, ValidateFunction> | undefined;
function daprValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  if (!daprValidators) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    daprValidators = new Map();
    for (const file of readdirSync(DAPR_CRD_DIR).filter((f) => f.endsWith(".yaml"))) {
      const crd = parse(readFileSync(join(DAPR_CRD_DIR, file), "utf8")) as Crd;
      for (const v of crd.spec.versions) {
        daprValidators.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, ajv.compile(v.schema.openAPIV3Schema));
      }
    }
  }
  return daprValidators.get(`${apiVersion}/${kind}`);
}

/** Module of the kubernetes-models class for an apiVersion/kind, or undefined when none applies. */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  if (group === "cert-manager.io" || group === "acme.cert-manager.io") return `@kubernetes-models/cert-manager/${group}/${version}/${kind}`;
  if (group === "traefik.io" || group === "traefik.containo.us") return `@kubernetes-models/traefik/${group}/${version}/${kind}`;
  if (group === "" || !group.includes(".") || group.endsWith(".k8s.io")) return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  return undefined;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** The schema errors of one object (empty when valid). */
export async function validateKubernetesObject(object: KubernetesObject): Promise<string[]> {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["apiVersion and kind must be strings"];
  const where = `${apiVersion} ${kind} ${String(object.metadata?.name ?? "?")}`;
  if (typeof object.metadata?.name !== "string" || object.metadata.name === "") return [`${where}: metadata.name is required`];

  if (apiVersion.startsWith("dapr.io/")) {
    const validate = daprValidator(apiVersion, kind);
    if (!validate) return [`${where}: no Dapr CRD schema for this kind/version`];
    return validate(object) ? [] : (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || "/"} ${e.message}`);
  }

  const spec = modelModule(apiVersion, kind);
  if (!spec) return [`${where}: no schema known for group of ${apiVersion}`];
  let Model: ModelClass;
  try {
    const mod = (await import(spec)) as Record<string, ModelClass>;
    Model = mod[kind];
    if (!Model) return [`${where}: ${spec} exports no ${kind}`];
  } catch {
    return [`${where}: no schema module ${spec}`];
  }
  try {
    new Model(object).validate();
    return [];
  } catch (err) {
    return [`${where}: ${err instanceof Error ? err.message : String(err)}`];
  }
}
