import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AppId } from "@todo/contracts/topology";
import { backupSettingsSchema } from "../components/backup/backup-settings";
import type { ResourceSpec } from "../components/resource-spec";

/**
 * The whole stack configuration in ONE zod schema, discriminated by stack name (`local` | `cloud`).
 * `parseStackConfig` is pure (tested directly); `loadStackConfig` feeds it from `pulumi.Config` and
 * reads the secrets with `requireSecret`/`getSecret` so they stay Outputs marked secret.
 */

export const PROJECT = "todo-platform";

// Keys whose values are secrets: never parsed into the plain config, only read as secret Outputs.
export const SECRET_KEYS = ["jwtSecret", "sshPrivateKey", "brokerPassword", "databaseUrl", "registryPassword", "backupAccessKeyId", "backupSecretKey"] as const;

const atLeast = (min: number) => z.number({ error: `expected a number ≥ ${min}` }).int(`expected an integer ≥ ${min}`).min(min, `expected a number ≥ ${min}`);
const quantity = z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, "expected a Kubernetes quantity such as 100m, 128Mi or 1Gi");
const chartVersion = z.string().regex(/^v?\d+\.\d+\.\d+([-+][\w.]+)?$/, "expected a pinned version such as 1.18.3 (no ranges, no latest)");
const pinnedImage = z
  .string()
  .regex(/^[\w./-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/, "expected an image reference")
  .refine((s) => /:[\w.-]+$|@sha256:/.test(s) && !/:latest$/.test(s), "expected a pinned tag (not latest)");

const resources = z
  .object({
    requests: z.object({ cpu: quantity, memory: quantity }).strict(),
    limits: z.object({ cpu: quantity, memory: quantity }).strict(),
  })
  // ResourceSpec is declared by the components that take it; the schema must produce it.
  .strict() satisfies z.ZodType<ResourceSpec>;

const appIds = ["backend", "event-processor", "reminder-scheduler", "notification", "websocket", "frontend"] as const satisfies readonly AppId[];
const perApp = <T extends z.ZodType>(value: T) => z.object(Object.fromEntries(appIds.map((id) => [id, value])) as Record<AppId, T>).strict();

const defaultServiceResources: ResourceSpec = { requests: { cpu: "50m", memory: "96Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

// An absent object is parsed as `{}` (`.prefault({})`), so each default is written once, on its key.
const common = {
  /** Host name of the public URL (cloud: optional, `<public ip>.sslip.io` when absent). */
  hostName: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "expected a DNS host name").optional(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  replicas: perApp(atLeast(1)).partial().default({}),
  autoscaling: z
    .object({ maxReplicas: atLeast(1).default(4), targetCpuPercent: atLeast(10).max(100, "expected a percentage ≤ 100").default(70) })
    .strict()
    .prefault({}),
  charts: z
    .object({
      dapr: chartVersion.default("1.18.3"),
      traefik: chartVersion.default("37.1.2"),
      kubePrometheusStack: chartVersion.default("77.6.2"),
      certManager: chartVersion.default("v1.18.2"),
    })
    .strict()
    .prefault({}),
  images: z
    .object({
      redis: pinnedImage.default("redis:7.4.5-alpine"),
      postgres: pinnedImage.default("postgres:17.6-alpine"),
      redpanda: pinnedImage.default("docker.redpanda.com/redpandadata/redpanda:v25.2.4"),
    })
    .strict()
    .prefault({}),
  resources: z
    .object({
      services: perApp(resources).partial().default({}),
      daprSidecar: resources.default({ requests: { cpu: "25m", memory: "48Mi" }, limits: { cpu: "300m", memory: "192Mi" } }),
      postgres: resources.default({ requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } }),
      redis: resources.default({ requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } }),
    })
    .strict()
    .prefault({}),
  storage: z
    .object({
      postgres: quantity.default("2Gi"),
      daprScheduler: quantity.default("1Gi"),
      prometheus: quantity.default("4Gi"),
      prometheusRetention: z.string().regex(/^\d+[hdw]$/, "expected a duration such as 2d").default("2d"),
    })
    .strict()
    .prefault({}),
};

const minikube = z
  .object({
    profile: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a profile name (lowercase letters, digits, -)").default("todo-platform"),
    driver: z.enum(["docker", "podman", "kvm2", "hyperkit", "qemu", "virtualbox", "vfkit", "hyperv"]).default("docker"),
    cpus: atLeast(2).default(4),
    memoryMb: atLeast(4096).default(8192),
    kubernetesVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, "expected a pinned version such as v1.33.1").default("v1.33.1"),
    /** A CNI that enforces NetworkPolicy (the default bridge CNI ignores them). */
    cni: z.enum(["calico", "cilium"]).default("calico"),
    addons: z.array(z.string().regex(/^[a-z0-9-]+$/)).default(["metrics-server"]),
  })
  .strict()
  .refine((m) => !m.addons.includes("ingress"), { message: "the ingress addon conflicts with the Traefik release; remove it", path: ["addons"] });

const localStack = z
  .object({
    stack: z.literal("local"),
    ...common,
    hostName: common.hostName.default("todo-app.local"),
    /** When set, that kube context is used and no cluster is created or deleted. */
    kubeContext: z.string().min(1, "expected a kube context name").optional(),
    minikube: minikube.prefault({}),
  })
  .strict();

const ociNode = z.object({ ocpus: atLeast(1), memoryGbs: atLeast(1) }).strict();
const cloudStack = z
  .object({
    stack: z.literal("cloud"),
    ...common,
    oci: z
      .object({
        compartmentId: z.string().startsWith("ocid1.", "expected an OCID (ocid1.…)"),
        // `pulumi config set --path '…availabilityDomains[0]' 2` stores the NUMBER 2 (the CLI parses a
        // --path value that looks like an integer as one); `'["2","3"]'` or a name stores strings.
        availabilityDomains: z
          .array(z.union([z.string().min(1), z.number().int().min(1)]).transform(String))
          .min(1, "expected at least one availability domain")
          .default(["1", "2", "3"]),
        /** Root compartment for the compute capacity report (default: compartmentId when it is the tenancy, else oci:tenancyOcid). */
        tenancyId: z.string().startsWith("ocid1.tenancy.", "expected a tenancy OCID (ocid1.tenancy.…)").optional(),
        /** Lets a change replace (recreate) a node; off, the nodes are protected. */
        allowNodeReplacement: z.boolean().default(false),
        nodes: z.array(ociNode).min(1).max(2, "expected one or two nodes").default([{ ocpus: 2, memoryGbs: 12 }]),
        bootVolumeSizeGbs: atLeast(50).default(100),
        adminCidr: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "expected an IPv4 CIDR such as 203.0.113.7/32"),
        k3sVersion: z.string().regex(/^v\d+\.\d+\.\d+\+k3s\d+$/, "expected a pinned k3s version such as v1.33.5+k3s1").default("v1.33.5+k3s1"),
        image: z
          .object({ operatingSystem: z.string().min(1), operatingSystemVersion: z.string().min(1) })
          .strict()
          .default({ operatingSystem: "Canonical Ubuntu", operatingSystemVersion: "24.04" }),
      })
      .strict()
      .refine((o) => o.nodes.reduce((s, n) => s + n.ocpus, 0) <= 2 && o.nodes.reduce((s, n) => s + n.memoryGbs, 0) <= 12, {
        message: "nodes exceed the Always Free allowance of 2 OCPU / 12 GB",
        path: ["nodes"],
      })
      .refine((o) => o.nodes.length * o.bootVolumeSizeGbs <= 200, { message: "boot volumes exceed the 200 GB Always Free storage", path: ["bootVolumeSizeGbs"] }),
    sshPublicKey: z.string().regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-\S+) \S+/, "expected an OpenSSH public key"),
    acme: z
      .object({ email: z.email("expected an e-mail address"), issuer: z.enum(["staging", "production"]).default("staging") })
      .strict(),
    // Redpanda Cloud (SASL/TLS) is the default mode; `mode: in-cluster` runs Redpanda in dev-container mode.
    broker: z.preprocess(
      (v) => (v && typeof v === "object" && !("mode" in v) ? { ...v, mode: "redpanda-cloud" } : v),
      z.discriminatedUnion("mode", [
        z
          .object({
            mode: z.literal("redpanda-cloud"),
            bootstrapServers: z.string().regex(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, "expected host:port[,host:port]"),
            username: z.string().min(1),
            saslMechanism: z.enum(["SHA-256", "SHA-512"]).default("SHA-256"),
          })
          .strict(),
        z.object({ mode: z.literal("in-cluster") }).strict(),
      ]),
    ),
    database: z
      .object({ mode: z.enum(["in-cluster", "external"]).default("in-cluster") })
      .strict()
      .prefault({}),
    registry: z
      .object({
        /** e.g. `fra.ocir.io` */
        server: z.string().regex(/^[\w.-]+$/, "expected a registry host such as fra.ocir.io"),
        /** The tenancy's Object Storage namespace. */
        namespace: z.string().min(1),
        /** `<namespace>/<user name>` (add `oracleidentitycloudservice/` for federated users). */
        username: z.string().min(1),
      })
      .strict(),
    /** Nightly PostgreSQL backups to Object Storage (components/backup): schedule, bucket, retention. */
    backup: backupSettingsSchema,
  })
  .strict();

export const stackConfigSchema = z.discriminatedUnion("stack", [localStack, cloudStack]);
export type StackConfig = z.infer<typeof stackConfigSchema>;
export type LocalStackConfig = z.infer<typeof localStack>;
export type CloudStackConfig = z.infer<typeof cloudStack>;
export type StackName = StackConfig["stack"];

export class StackConfigError extends Error {
  override name = "StackConfigError";
}

/**
 * Parses the raw config values of one stack (keys without the `todo-platform:` prefix, structured
 * values already decoded). Throws a StackConfigError naming every bad key and the stack.
 */
export function parseStackConfig(raw: Record<string, unknown>, stack: string): StackConfig {
  if (stack !== "local" && stack !== "cloud") {
    throw new StackConfigError(`unknown stack "${stack}": this program has the stacks local and cloud (they differ by config only)`);
  }
  const plain = Object.fromEntries(Object.entries(raw).filter(([k]) => !(SECRET_KEYS as readonly string[]).includes(k)));
  const result = stackConfigSchema.safeParse({ ...plain, stack });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map(String);
      // `.strict()` reports an unknown key with the parent's path: name the unknown key itself.
      const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...path, k].join(".")) : [path.join(".")];
      const message =
        issue.code === "unrecognized_keys" ? "unknown setting" : /received undefined$/.test(issue.message) ? "required but not set" : issue.message;
      return keys.map((k) => `${PROJECT}:${k} (stack ${stack}): ${message}`).join("\n");
    });
    throw new StackConfigError(problems.join("\n"));
  }
  return result.data;
}

/** Decodes one raw config string: structured values arrive as JSON, plain ones as strings. */
export function decodeConfigValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export interface StackSecrets {
  /** JWT signing secret; generated by the program when unset. */
  jwtSecret?: pulumi.Output<string>;
  sshPrivateKey?: pulumi.Output<string>;
  brokerPassword?: pulumi.Output<string>;
  databaseUrl?: pulumi.Output<string>;
  registryPassword?: pulumi.Output<string>;
  /** OCI customer secret key for the backup bucket (S3-compatible); both or neither. */
  backupAccessKeyId?: pulumi.Output<string>;
  backupSecretKey?: pulumi.Output<string>;
}

export interface LoadedConfig {
  config: StackConfig;
  secrets: StackSecrets;
}

/** Reads the running stack's config: plain values through the schema, secrets as secret Outputs. */
export function loadStackConfig(): LoadedConfig {
  const stack = pulumi.getStack();
  const prefix = `${PROJECT}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decodeConfigValue(value);
  }
  const config = parseStackConfig(raw, stack);
  const cfg = new pulumi.Config(PROJECT);
  const secrets: StackSecrets = { jwtSecret: cfg.getSecret("jwtSecret") };
  if (config.stack === "cloud") {
    secrets.sshPrivateKey = cfg.requireSecret("sshPrivateKey");
    secrets.registryPassword = cfg.requireSecret("registryPassword");
    if (config.broker.mode === "redpanda-cloud") secrets.brokerPassword = cfg.requireSecret("brokerPassword");
    if (config.database.mode === "external") secrets.databaseUrl = cfg.requireSecret("databaseUrl");
    secrets.backupAccessKeyId = cfg.getSecret("backupAccessKeyId");
    secrets.backupSecretKey = cfg.getSecret("backupSecretKey");
  }
  return { config, secrets };
}

/** Replicas of one service: the config override, else 1 (HPAs scale backend and event-processor up). */
export function replicasOf(config: StackConfig, id: AppId): number {
  return config.replicas[id] ?? 1;
}

export function serviceResourcesOf(config: StackConfig, id: AppId): ResourceSpec {
  return config.resources.services[id] ?? defaultServiceResources;
}
