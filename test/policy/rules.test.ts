import assert from "node:assert/strict";
import { closedAdminPorts } from "../../policy/rules/admin-ports";
import { cloudBudget } from "../../policy/rules/budget";
import { pinnedHelmCharts } from "../../policy/rules/helm-charts";
import { imageProblem, pinnedImages } from "../../policy/rules/images";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { packPolicies } from "../../policy/pack-policies";
import { evaluate } from "../../policy/rules";
import { looksSecret, noPlainSecrets, plainSecretConfigKeys } from "../../policy/rules/plain-secrets";
import type { PolicyResource } from "../../policy/rules/types";
import { containerLimits, containerProbes, nonRootContainers } from "../../policy/rules/workload-rules";

const probe = { httpGet: { path: "/readyz", port: 8080 } };
const goodContainer = {
  name: "backend",
  image: "fra.ocir.io/ns/todo-platform/backend:2eef44094485",
  resources: { requests: { cpu: "25m", memory: "96Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  securityContext: { runAsNonRoot: true, runAsUser: 1000 },
  readinessProbe: probe,
  livenessProbe: probe,
  env: [{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "db", key: "url" } } }, { name: "PORT", value: "8080" }],
};
type C = Record<string, unknown>;
const deployment = (container: C, pod: C = {}): PolicyResource => ({
  type: "kubernetes:apps/v1:Deployment",
  name: "app-backend",
  props: { metadata: { name: "backend" }, spec: { replicas: 1, template: { metadata: {}, spec: { ...pod, containers: [container] } } } },
});
const without = (key: string, o: C = goodContainer): C => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

describe("policy: containers run as non-root", () => {
  it("when runAsNonRoot or a non-zero user is set on the container or its pod, then it passes", () => {
    assert.deepEqual(nonRootContainers.check(deployment(goodContainer)), []);
    assert.deepEqual(nonRootContainers.check(deployment(without("securityContext"), { securityContext: { runAsUser: 70 } })), []);
  });
  it("when nothing says non-root, or the user is 0, then the container is named", () => {
    assert.deepEqual(nonRootContainers.check(deployment(without("securityContext"))), ["container backend may run as root: set securityContext.runAsNonRoot: true (and a runAsUser) on it or its pod"]);
    assert.deepEqual(nonRootContainers.check(deployment({ ...goodContainer, securityContext: { runAsUser: 0 } }, { securityContext: { runAsNonRoot: true } })), ["container backend runs as user 0 (root)"]);
  });
});

describe("policy: containers have limits", () => {
  it("when CPU and memory limits and requests are set, then it passes", () => {
    assert.deepEqual(containerLimits.check(deployment(goodContainer)), []);
  });
  it("when a container has no limits (init containers included), then what is missing is named", () => {
    assert.deepEqual(containerLimits.check(deployment({ ...goodContainer, resources: { requests: { cpu: "25m", memory: "96Mi" } } })), ["container backend has no limits.cpu, limits.memory"]);
    const cronJob: PolicyResource = {
      type: "kubernetes:batch/v1:CronJob",
      name: "backup",
      props: { spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: "dump", resources: { limits: { memory: "1Gi" } } }], containers: [goodContainer] } } } } } },
    };
    assert.deepEqual(containerLimits.check(cronJob), ["init container dump has no limits.cpu, requests.cpu, requests.memory"]);
  });
});

describe("policy: long-running containers have probes", () => {
  it("when both probes are set, or the workload is a Job, then it passes", () => {
    assert.deepEqual(containerProbes.check(deployment(goodContainer)), []);
    const job: PolicyResource = { type: "kubernetes:batch/v1:Job", name: "topics", props: { spec: { template: { spec: { containers: [without("readinessProbe")] } } } } };
    assert.deepEqual(containerProbes.check(job), []);
  });
  it("when a Deployment's container lacks a probe, then it is named", () => {
    assert.deepEqual(containerProbes.check(deployment(without("livenessProbe"))), ["container backend has no livenessProbe"]);
  });
});

describe("policy: images pinned", () => {
  it("when the image has a fixed tag or a digest, then it passes", () => {
    assert.deepEqual(pinnedImages.check(deployment(goodContainer)), []);
    assert.equal(imageProblem(`postgres@sha256:${"a".repeat(64)}`), undefined);
    assert.equal(imageProblem("localhost:5000/todo/backend:1.2.3"), undefined);
  });
  it("when the image is :latest, untagged (a registry port is no tag) or a moving tag, then it is refused", () => {
    assert.deepEqual(pinnedImages.check(deployment({ ...goodContainer, image: "postgres:latest" })), ["container backend image postgres:latest uses the moving tag :latest"]);
    assert.match(imageProblem("localhost:5000/todo/backend")!, /has no tag/);
    assert.match(imageProblem("redis")!, /has no tag/);
    assert.match(imageProblem("rclone/rclone:stable")!, /moving tag :stable/);
  });
});

describe("policy: no secret in plain config", () => {
  it("when secrets come from secretKeyRef and ConfigMaps hold settings only, then it passes", () => {
    assert.deepEqual(noPlainSecrets.check(deployment(goodContainer)), []);
    assert.deepEqual(noPlainSecrets.check({ type: "kubernetes:core/v1:ConfigMap", name: "app-config", props: { data: { LOG_LEVEL: "info", passwordKey: "admin-password", secretName: "db" } } }), []);
  });
  it("when a ConfigMap or an env value holds a password or a URL with one, then the key is named", () => {
    assert.deepEqual(noPlainSecrets.check({ type: "kubernetes:core/v1:ConfigMap", name: "cm", props: { data: { DB: "postgres://todo:hunter2@db:5432/todo", API_TOKEN: "abc" } } }), [
      "ConfigMap key DB holds a URL with a password: take it from a Kubernetes Secret",
      "ConfigMap key API_TOKEN holds a secret in plain text: take it from a Kubernetes Secret",
    ]);
    assert.deepEqual(noPlainSecrets.check(deployment({ ...goodContainer, env: [{ name: "JWT_SECRET", value: "x".repeat(40) }] })), ["container backend env JWT_SECRET holds a secret in plain text: take it from a Kubernetes Secret"]);
  });
  it("when names are read, then holders of secrets are told from references to them", () => {
    for (const n of ["JWT_SECRET", "adminPassword", "s3SecretKey", "sshPrivateKey", "RPK_PASS", "registry-password"]) assert.ok(looksSecret(n), n);
    for (const n of ["existingSecret", "secretName", "passwordKey", "sshPublicKey", "TOKEN_TTL_S", "LOG_LEVEL"]) assert.ok(!looksSecret(n), n);
  });
  it("when the stack file holds a secret key in plain text, then the key is named; secure: values pass", () => {
    assert.deepEqual(plainSecretConfigKeys({ "todo-platform:registryPassword": { secure: "AAAB" }, "todo-platform:sshPublicKey": "ssh-ed25519 AAAA" }), []);
    assert.deepEqual(plainSecretConfigKeys({ "todo-platform:registryPassword": "hunter2", "todo-platform:backup": { s3SecretKey: "k" } }), ["todo-platform:registryPassword", "todo-platform:backup.s3SecretKey"]);
  });
});

describe("policy: no admin port open to the world", () => {
  const list = (rules: C[]): PolicyResource => ({ type: "oci:Core/securityList:SecurityList", name: "cluster-network-security-list", props: { ingressSecurityRules: rules } });
  it("when SSH and the API are open to the admin network only and HTTPS to the world, then it passes", () => {
    assert.deepEqual(closedAdminPorts.check(list([{ protocol: "6", source: "198.51.100.7/32", tcpOptions: { min: 22, max: 22 } }, { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 443, max: 443 } }])), []);
  });
  it("when 0.0.0.0/0 reaches 22, a range over 6443, or every port, then the rule is named", () => {
    assert.deepEqual(closedAdminPorts.check(list([{ protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 22, max: 22 } }])), ["ingress rule 0 opens port 22 to 0.0.0.0/0"]);
    assert.deepEqual(closedAdminPorts.check(list([{ protocol: "6", source: "198.51.100.7/32" }, { protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 6000, max: 7000 } }])), ["ingress rule 1 opens port 6443 to 0.0.0.0/0"]);
    assert.deepEqual(closedAdminPorts.check(list([{ protocol: "all", source: "::/0" }])), ["ingress rule 0 opens port 22 and 6443 to ::/0"]);
    const nsg: PolicyResource = { type: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule", name: "ssh", props: { direction: "INGRESS", protocol: "6", source: "0.0.0.0/0", tcpOptions: { destinationPortRange: { min: 22, max: 22 } } } };
    assert.equal(closedAdminPorts.check(nsg).length, 1);
  });
});

describe("policy: Helm chart versions pinned", () => {
  const release = (version: unknown): PolicyResource => ({ type: "kubernetes:helm.sh/v3:Release", name: "platform-dapr", props: { chart: "dapr", version } });
  it("when the version is exact (v-prefixed too), then it passes", () => {
    assert.deepEqual(pinnedHelmCharts.check(release("1.18.3")), []);
    assert.deepEqual(pinnedHelmCharts.check(release("v1.18.2")), []);
  });
  it("when the version is missing or a range, then the chart is named", () => {
    assert.deepEqual(pinnedHelmCharts.check(release(undefined)), ["chart dapr has no version: helm installs whatever is newest"]);
    assert.deepEqual(pinnedHelmCharts.check(release("^1.18")), ['chart dapr version "^1.18" is not an exact version']);
    assert.equal(pinnedHelmCharts.check(release("1.x")).length, 1);
  });
});

describe("policy: cloud budget", () => {
  const node: PolicyResource = { type: "oci:Core/instance:Instance", name: "node-0", props: {} };
  const sized = (cpu: string, memory: string, replicas = 1): PolicyResource => ({
    type: "kubernetes:apps/v1:Deployment",
    name: `big-${cpu}`,
    props: { metadata: { name: `big-${cpu}` }, spec: { replicas, template: { metadata: {}, spec: { containers: [{ name: "c", resources: { requests: { cpu, memory } } }] } } } },
  });
  it("when the stack has no OCI node, then the budget does not apply; when it fits, it passes", () => {
    assert.deepEqual(cloudBudget.check([sized("8", "64Gi")]), []);
    assert.deepEqual(cloudBudget.check([node, sized("500m", "2Gi")]), []);
  });
  it("when the requests exceed 80% of 2 OCPU / 12 GB, or a workload has none, then the stack is refused with the table", () => {
    const over = cloudBudget.check([node, sized("1", "4Gi", 2)]);
    assert.equal(over.length, 1);
    assert.match(over[0]!.message, /exceed the limit 1600m \/ 9830Mi \(80% of 2 OCPU \/ 12 GB\)/);
    assert.match(over[0]!.message, /\| big-1 \| app \| 2 \|/);
    const none: PolicyResource = { ...sized("1", "1Gi"), props: { metadata: { name: "bare" }, spec: { template: { spec: { containers: [{ name: "c" }] } } } } };
    assert.match(cloudBudget.check([node, none])[0]!.message, /cannot be counted: Deployment bare, container c: no explicit CPU and memory requests/);
  });
  it("when every rule is evaluated, then each violation names its policy and its resource", () => {
    const v = evaluate([node, deployment(without("resources")), { type: "kubernetes:helm.sh/v3:Release", name: "r", props: { chart: "x" } }]);
    assert.deepEqual(
      v.map((x) => `${x.policy} ${x.resource}`),
      ["containers-have-limits kubernetes:apps/v1:Deployment app-backend", "helm-chart-version-pinned kubernetes:helm.sh/v3:Release r", "cloud-budget stack"],
    );
  });
});

describe("policy pack: the rules as @pulumi/policy policies", () => {
  it("when the pack's policies validate resources, then each rule reports through reportViolation under its own name, mandatory", async () => {
    const policies = packPolicies();
    assert.deepEqual(
      policies.map((p) => p.name).sort(),
      ["cloud-budget", "containers-have-limits", "containers-have-probes", "containers-run-as-non-root", "helm-chart-version-pinned", "images-pinned", "no-admin-port-open-to-world", "no-secret-in-plain-config"],
    );
    assert.ok(policies.every((p) => p.enforcementLevel === "mandatory"));
    const limits = policies.find((p) => p.name === "containers-have-limits") as ResourceValidationPolicy;
    const reported: string[] = [];
    const bad = deployment(without("resources"));
    await (limits.validateResource as (a: unknown, r: (m: string) => void) => void)({ type: bad.type, name: bad.name, props: bad.props }, (m) => reported.push(m));
    assert.deepEqual(reported, ["container backend has no limits.cpu, limits.memory, requests.cpu, requests.memory"]);
    const budget = policies.find((p) => p.name === "cloud-budget") as StackValidationPolicy;
    const stackReports: Array<[string, string | undefined]> = [];
    const over = { type: "kubernetes:apps/v1:Deployment", name: "huge", urn: "urn:huge", props: { metadata: { name: "huge" }, spec: { template: { spec: { containers: [{ name: "c", resources: { requests: { cpu: "4", memory: "1Gi" } } }] } } } } };
    await (budget.validateStack as (a: unknown, r: (m: string, urn?: string) => void) => void)(
      { resources: [{ type: "oci:Core/instance:Instance", name: "n", urn: "urn:n", props: {} }, over] },
      (m, urn) => stackReports.push([m.split("\n")[0]!, urn]),
    );
    assert.equal(stackReports.length, 1);
    assert.match(stackReports[0]![0], /^requests \d+m CPU/);
  });
});
