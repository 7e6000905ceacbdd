// Runs the Pulumi program (stacks/index.ts) under Pulumi's mock runtime: no CLI, no cluster, no
// cloud credentials. Used by `npm run render` and by the stack tests (tests may import scripts, never the reverse). One stack per process.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PROJECT } from "../../stacks/config";

const root = join(__dirname, "..", "..");

export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  /** URN of the parent (undefined for the stack itself). */
  parent?: string;
  /** URNs this resource explicitly depends on (`dependsOn`, and Output-carried dependencies). */
  dependencies: string[];
  custom: boolean;
  /** Inputs as registered; secret values stay wrapped (see isSecretValue). */
  inputs: Record<string, unknown>;
  /** The resource options that decide what a real `pulumi up`/`destroy` does with it. */
  options: ResourceOptionsRecord;
}

/** Resource options as the engine receives them (only those set). */
export interface ResourceOptionsRecord {
  deleteBeforeReplace?: boolean;
  retainOnDelete?: boolean;
  protect?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  /** URN of the resource whose deletion makes deleting this one unnecessary. */
  deletedWith?: string;
  customTimeouts?: { create?: string; update?: string; delete?: string };
  /** Explicit and input-carried dependencies (URNs). */
  dependsOn?: string[];
  /** Set when the resource has a replacement trigger. */
  replacementTrigger?: unknown;
}

export interface OfflineStack {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}

/** Marker the Pulumi runtime wraps secret values in. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** Replaces every secret value with "[secret]" (and drops the runtime's internal markers). */
export function redactSecrets(v: unknown): unknown {
  if (isSecretValue(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(redactSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactSecrets(x)]));
  return v;
}

/** Reveals secret values (tests only: to check where they went). */
export function revealSecrets(v: unknown): unknown {
  if (isSecretValue(v)) return revealSecrets(v.value);
  if (Array.isArray(v)) return v.map(revealSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revealSecrets(x)]));
  return v;
}

/** Values every generated secret gets under mocks: a test can search the plan for them. */
export const MOCK_SECRET_PREFIX = "MOCK-SECRET-";
/** Values given to the required config secrets in the offline run. */
export const DUMMY_CONFIG_SECRETS: Record<string, string> = {
  sshPrivateKey: `${MOCK_SECRET_PREFIX}ssh-private-key`,
  registryPassword: `${MOCK_SECRET_PREFIX}registry-password`,
  brokerPassword: `${MOCK_SECRET_PREFIX}broker-password`,
  databaseUrl: `postgres://todo:${MOCK_SECRET_PREFIX}db@db.example.com:5432/todo`,
};
export const MOCK_KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters:",
  "- cluster: {server: 'https://127.0.0.1:6443'}",
  "  name: mock",
  "contexts:",
  "- context: {cluster: mock, user: mock}",
  "  name: mock",
  "current-context: mock",
  "users:",
  "- name: mock",
  "  user:",
  `    client-key-data: ${MOCK_SECRET_PREFIX}client-key`,
  "",
].join("\n");
export const MOCK_PUBLIC_IP = "203.0.113.10";

/** The stack's config file as raw Pulumi config (`project:key` → string, structured values as JSON). */
export function stackFileConfig(stack: string): Record<string, string> {
  const doc = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    // `secure:` values need the stack's passphrase: the offline run uses dummies instead.
    if (value && typeof value === "object" && "secure" in value) continue;
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  // The OCI SDK spells its modules with a capital (`oci:Core/...`): compare tokens case-insensitively.
  switch (type.toLowerCase()) {
    case "random:index/randompassword:randompassword":
      return { ...inputs, result: `${MOCK_SECRET_PREFIX}${name}` };
    case "command:local:command":
    case "command:remote:command":
      return { ...inputs, stdout: /kubeconfig/.test(name) ? MOCK_KUBECONFIG : "", stderr: "" };
    case "kubernetes:helm.sh/v3:release":
      return { ...inputs, status: { name: inputs.name, namespace: inputs.namespace, status: "deployed" } };
    case "oci:core/instance:instance":
      return { ...inputs, publicIp: MOCK_PUBLIC_IP, privateIp: "10.0.0.10" };
    case "oci:core/computecapacityreport:computecapacityreport":
      return { ...inputs, shapeAvailabilities: mockCapacity(inputs) };
    default:
      return inputs;
  }
}

/** Capacity report answer under mocks: every AD has room (tests override per AD where they need to). */
function mockCapacity(inputs: Record<string, unknown>): unknown[] {
  return ((inputs.shapeAvailabilities ?? []) as Record<string, unknown>[]).map((s) => ({ ...s, availabilityStatus: "AVAILABLE", availableCount: "4" }));
}

function mockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token.toLowerCase()) {
    case "oci:identity/getavailabilitydomains:getavailabilitydomains":
      return { availabilityDomains: [1, 2, 3].map((i) => ({ id: `ad-${i}`, name: `Uocm:EU-FRANKFURT-1-AD-${i}` })) };
    case "oci:core/getimages:getimages":
      return { images: [{ id: "ocid1.image.oc1..mock-aarch64", displayName: "Canonical-Ubuntu-24.04-aarch64-mock" }] };
    case "oci:core/getinstance:getinstance":
      return { id: inputs.instanceId, publicIp: MOCK_PUBLIC_IP };
    // The kubeconfig is re-read on every run through pulumi-command's `local.run` invoke.
    case "command:local:run":
      return { ...inputs, stdout: /config view/.test(String(inputs.command)) ? MOCK_KUBECONFIG : "", stderr: "" };
    default:
      return inputs;
  }
}

/**
 * Runs stacks/index.ts for `stack` under mocks and returns every registered resource with its parent
 * and explicit dependencies, and the stack outputs. `configOverrides` replaces keys of the stack file.
 */
export async function runOfflineStack(stack: "local" | "cloud", configOverrides: Record<string, unknown> = {}): Promise<OfflineStack> {
  const config = stackFileConfig(stack);
  for (const [k, v] of Object.entries(configOverrides)) config[`${PROJECT}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  for (const [k, v] of Object.entries(DUMMY_CONFIG_SECRETS)) config[`${PROJECT}:${k}`] ??= v;
  pulumi.runtime.setAllConfig(config, Object.keys(DUMMY_CONFIG_SECRETS).map((k) => `${PROJECT}:${k}`));

  const recorded: RecordedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) }),
      call: (args) => mockCall(args.token, args.inputs),
    },
    PROJECT,
    stack,
    false,
  );
  // The mock monitor drops parents and dependencies; record them from the registration requests.
  type RegisterRequest = OptionGetters & {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): unknown;
  };
  type Monitor = { registerResource(req: RegisterRequest, cb: (err: unknown, res?: { getUrn(): string }) => void): Promise<void> };
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, res) => {
      if (!err && res) {
        recorded.push({
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          parent: req.getParent() || undefined,
          dependencies: req.getDependenciesList(),
          custom: req.getCustom(),
          inputs: pulumi.runtime.deserializeProperties(req.getObject() as never) as Record<string, unknown>,
          options: optionsOf(req),
        });
      }
      cb(err, res);
    });

  const program = (await import("../../stacks/index.js")) as Record<string, unknown>;
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    if (value === undefined) continue;
    outputs[key] = pulumi.Output.isInstance(value) ? await outputValue(value) : value;
  }
  // Every registration (including those waiting on Outputs) has reached the monitor.
  await pulumi.runtime.disconnect();
  return { resources: recorded, outputs };
}

/** The resource options' getters of a RegisterResourceRequest (the engine's protobuf message). */
type OptionGetters = {
  getDependenciesList(): string[];
  getDeletebeforereplace(): boolean;
  getRetainondelete(): boolean | undefined;
  getProtect(): boolean | undefined;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getDeletedwith(): string;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
};

function optionsOf(req: OptionGetters): ResourceOptionsRecord {
  const o: ResourceOptionsRecord = {};
  if (req.getDeletebeforereplace()) o.deleteBeforeReplace = true;
  if (req.getRetainondelete()) o.retainOnDelete = true;
  if (req.getProtect()) o.protect = true;
  if (req.getIgnorechangesList().length) o.ignoreChanges = req.getIgnorechangesList();
  if (req.getReplaceonchangesList().length) o.replaceOnChanges = req.getReplaceonchangesList();
  if (req.getDeletedwith()) o.deletedWith = req.getDeletedwith();
  const t = req.getCustomtimeouts();
  if (t && (t.getCreate() || t.getUpdate() || t.getDelete())) {
    o.customTimeouts = Object.fromEntries(Object.entries({ create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() }).filter(([, v]) => v));
  }
  if (req.getDependenciesList().length) o.dependsOn = req.getDependenciesList();
  const trigger = req.getReplacementTrigger();
  if (trigger !== undefined) o.replacementTrigger = trigger.toJavaScript();
  return o;
}

/** An Output's value, wrapped as a secret value when the Output is secret. */
async function outputValue(o: pulumi.Output<unknown>): Promise<unknown> {
  const [value, secret] = await Promise.all([promiseOf(o), pulumi.isSecret(o)]);
  return secret ? { [SECRET_SIG_KEY]: SECRET_SIG, value } : value;
}

export function promiseOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Kubernetes objects among the recorded resources (everything `kubernetes:*` except providers and Helm releases). */
export function kubernetesObjects(resources: RecordedResource[]): { resource: RecordedResource; object: Record<string, unknown> }[] {
  return resources
    .filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes" && r.type !== "kubernetes:helm.sh/v3:Release")
    .map((r) => ({ resource: r, object: r.inputs }));
}

export function helmReleases(resources: RecordedResource[]): RecordedResource[] {
  return resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
}
