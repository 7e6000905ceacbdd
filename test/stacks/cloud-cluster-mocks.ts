// Pulumi mocks for the OCI + k3s part of the cloud stack, shared by the cloud test files (one stack per
// process: each *.isolated.test.ts file installs them itself).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

export const MOCK_PUBLIC_IPS = ["203.0.113.10", "203.0.113.11"];
export const MOCK_ADS = ["Uocm:EU-FRANKFURT-1-AD-1", "Uocm:EU-FRANKFURT-1-AD-2", "Uocm:EU-FRANKFURT-1-AD-3"];
export const K3S_KUBECONFIG = [
  "apiVersion: v1",
  "clusters:",
  "- cluster:",
  "    certificate-authority-data: Q0E=",
  "    server: https://127.0.0.1:6443",
  "  name: default",
  "contexts:",
  "- context: {cluster: default, user: default}",
  "  name: default",
  "current-context: default",
  "kind: Config",
  "users:",
  "- name: default",
  "  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}",
  "",
].join("\n");

// Mock inputs are untyped wire data that the tests read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = any;

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, Wire>;
}

export interface RecordedCall {
  token: string;
  inputs: Record<string, Wire>;
}

export const resources: Recorded[] = [];
export const calls: RecordedCall[] = [];
/** resource name → the resource options that decide a real run, as registered. */
export const optionsByName = new Map<string, { deleteBeforeReplace: boolean; protect: boolean; ignoreChanges: string[]; deletedWith: string; hasReplacementTrigger: boolean }>();
/** resource name → URNs of the resources it depends on, as registered. */
export const dependenciesByName = new Map<string, string[]>();

let instanceCount = 0;
/** Capacity report answer per AD name (default AVAILABLE). */
export const capacityByAd = new Map<string, string>();
/** The public IP `getInstance` reports (default: the IP at create). */
let currentPublicIp: string | undefined;
export function setCurrentPublicIp(ip: string): void {
  currentPublicIp = ip;
}

export function installMocks(project = "todo-platform", stack = "cloud"): void {
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type.toLowerCase() === "oci:core/instance:instance") {
          const i = instanceCount++;
          state.publicIp = MOCK_PUBLIC_IPS[i] ?? `203.0.113.${20 + i}`;
          state.privateIp = `10.0.1.${10 + i}`;
        }
        if (args.type === "command:remote:Command") {
          state.stdout = args.name.endsWith("-kubeconfig") ? K3S_KUBECONFIG : "";
          state.stderr = "";
        }
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = "generated-k3s-token";
        if (args.type.toLowerCase() === "oci:core/computecapacityreport:computecapacityreport") {
          const ad = String(args.inputs.availabilityDomain);
          const status = capacityByAd.get(ad) ?? "AVAILABLE";
          state.shapeAvailabilities = (args.inputs.shapeAvailabilities as Wire[]).map((x) => ({ ...x, availabilityStatus: status, availableCount: status === "AVAILABLE" ? "2" : "0" }));
        }
        return { id: `${args.name}-id`, state };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        calls.push({ token: args.token, inputs: args.inputs });
        // The OCI SDK spells its modules with a capital (`oci:Core/...`); compare case-insensitively.
        switch (args.token.toLowerCase()) {
          case "oci:core/getimages:getimages":
            return {
              images: [
                { id: "ocid1.image.oc1..newest-aarch64", operatingSystem: args.inputs.operatingSystem, operatingSystemVersion: args.inputs.operatingSystemVersion, timeCreated: "2026-10-01" },
                { id: "ocid1.image.oc1..older-aarch64", operatingSystem: args.inputs.operatingSystem, operatingSystemVersion: args.inputs.operatingSystemVersion, timeCreated: "2026-07-01" },
              ],
            };
          // The instance as OCI reports it now (the kubeconfig points at this address).
          case "oci:core/getinstance:getinstance":
            return { id: args.inputs.instanceId, publicIp: currentPublicIp ?? MOCK_PUBLIC_IPS[0] };
          case "command:local:run":
            return { ...args.inputs, stdout: "", stderr: "" };
          case "oci:identity/getavailabilitydomains:getavailabilitydomains":
            return { availabilityDomains: MOCK_ADS.map((name) => ({ name, id: `${name}-id`, compartmentId: args.inputs.compartmentId })) };
          default:
            return args.inputs;
        }
      },
    },
    project,
    stack,
    false,
  );
  // The mock monitor does not hand dependencies to newResource; record the URNs the SDK sends with
  // each registration (explicit dependsOn plus those implied by inputs) so ordering can be asserted.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(
      req: {
        getName(): string;
        getDependenciesList(): string[];
        getDeletebeforereplace(): boolean;
        getProtect(): boolean | undefined;
        getIgnorechangesList(): string[];
        getDeletedwith(): string;
        getReplacementTrigger(): unknown;
      },
      cb: unknown,
    ): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    dependenciesByName.set(req.getName(), req.getDependenciesList());
    optionsByName.set(req.getName(), {
      deleteBeforeReplace: req.getDeletebeforereplace(),
      protect: req.getProtect() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      deletedWith: req.getDeletedwith(),
      hasReplacementTrigger: req.getReplacementTrigger() !== undefined,
    });
    return register(req, cb);
  };
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export async function isSecret<T>(output: pulumi.Output<T>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/** Names of the resources `name` depends on. */
export function dependencyNames(name: string): string[] {
  const urns = dependenciesByName.get(name);
  if (!urns) throw new Error(`${name} was not registered`);
  return urns.map((u) => u.split("::").pop()!).sort();
}

// How the mock monitor hands a secret input to newResource: wrapped with Pulumi's secret signature.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** The plain value of an input, secret or not. */
export function reveal<T = Wire>(v: unknown): T {
  return (isSecretValue(v) ? (v as { value: T }).value : v) as T;
}

export function byType(type: string): Recorded[] {
  return resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

export function named(name: string): Recorded {
  const r = resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource named ${name}; have ${resources.map((x) => x.name).join(", ")}`);
  return r;
}

/**
 * The cloud stack's config as `pulumi up -s cloud` would see it: the committed Pulumi.cloud.yaml plus
 * the secrets a user sets with `pulumi config set --secret`. Call before installMocks().
 */
export function setCloudStackConfig(): void {
  const file = parse(readFileSync(join(__dirname, "..", "..", "Pulumi.cloud.yaml"), "utf8")) as { config: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config)) config[key] = typeof value === "string" ? value : JSON.stringify(value);
  const secrets: Record<string, string> = {
    "todo-platform:sshPrivateKey": "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----",
    "todo-platform:registryPassword": "ocir-auth-token",
    "todo-platform:brokerPassword": "redpanda-password",
    "todo-platform:jwtSecret": "a-jwt-secret-of-at-least-thirty-two-characters",
  };
  pulumi.runtime.setAllConfig({ ...config, ...secrets }, Object.keys(secrets));
}
