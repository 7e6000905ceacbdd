import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { decodeConfigValue, parseStackConfig, StackConfigError } from "../../stacks/config";

/** The raw values of a Pulumi.<stack>.yaml as the program sees them (keys without the project prefix). */
function stackFile(stack: string): Record<string, unknown> {
  const doc = parse(readFileSync(`Pulumi.${stack}.yaml`, "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k.replace(/^todo-platform:/, ""), v]));
}

const cloudMinimum = {
  oci: { compartmentId: "ocid1.compartment.oc1..aaaa", adminCidr: "203.0.113.7/32" },
  sshPublicKey: "ssh-ed25519 AAAAC3Nza test",
  acme: { email: "ops@example.com" },
  registry: { server: "fra.ocir.io", namespace: "tenancyns", username: "tenancyns/ops@example.com" },
  broker: { bootstrapServers: "seed-1.example.com:9092", username: "todo" },
};

describe("stack config", () => {
  it("when Pulumi.local.yaml is parsed, then every value is accepted and defaults fill the rest", () => {
    const config = parseStackConfig(stackFile("local"), "local");
    assert.equal(config.stack, "local");
    assert.equal(config.hostName, "todo-app.local");
    assert.equal(config.charts.dapr, "1.18.3");
    assert.equal(config.replicas.backend, 2);
    assert.ok(config.stack === "local" && config.minikube.addons.includes("metrics-server"));
  });

  it("when nothing is set for local, then defaults give a Minikube profile and todo-app.local", () => {
    const config = parseStackConfig({}, "local");
    assert.ok(config.stack === "local");
    assert.equal(config.minikube.profile, "todo-platform");
    assert.equal(config.kubeContext, undefined);
    assert.equal(config.storage.daprScheduler, "1Gi");
  });

  it("when availabilityDomains holds what `pulumi config set --path` stores (a number for `[0] 2`, strings otherwise), then both are accepted as AD entries", () => {
    // `pulumi config set --path 'todo-platform:oci.availabilityDomains[0]' 2` writes the integer 2 into the list.
    const mixed = parseStackConfig({ ...cloudMinimum, oci: { ...cloudMinimum.oci, availabilityDomains: [2, "3", "Uocm:EU-FRANKFURT-1-AD-1"] } }, "cloud");
    assert.ok(mixed.stack === "cloud");
    assert.deepEqual(mixed.oci.availabilityDomains, ["2", "3", "Uocm:EU-FRANKFURT-1-AD-1"]);
    assert.equal(mixed.oci.allowNodeReplacement, false, "nodes are protected unless asked");
    assert.throws(() => parseStackConfig({ ...cloudMinimum, oci: { ...cloudMinimum.oci, availabilityDomains: [0] } }, "cloud"), /oci\.availabilityDomains\.0/);
  });

  it("when a replica count is 0, then the error names the key and the stack", () => {
    assert.throws(
      () => parseStackConfig({ replicas: { backend: 0 } }, "local"),
      (err: Error) => err instanceof StackConfigError && err.message === "todo-platform:replicas.backend (stack local): expected a number ≥ 1",
    );
  });

  it("when a key is misspelt, then it is reported as an unknown setting by its full name", () => {
    assert.throws(() => parseStackConfig({ minikube: { cpu: 2 } }, "local"), /todo-platform:minikube\.cpu \(stack local\): unknown setting/);
  });

  it("when a chart version is a range, then it is rejected", () => {
    assert.throws(() => parseStackConfig({ charts: { traefik: "^37" } }, "local"), /todo-platform:charts\.traefik \(stack local\): expected a pinned version/);
  });

  it("when the minikube ingress addon is asked for, then it is rejected (Traefik is installed)", () => {
    assert.throws(() => parseStackConfig({ minikube: { addons: ["ingress"] } }, "local"), /todo-platform:minikube\.addons/);
  });

  it("when the cloud stack lacks its required keys, then each missing key is named", () => {
    assert.throws(() => parseStackConfig({}, "cloud"), (err: Error) => {
      for (const key of ["oci", "sshPublicKey", "acme", "registry", "broker"]) assert.match(err.message, new RegExp(`todo-platform:${key} \\(stack cloud\\): required but not set`));
      return true;
    });
  });

  it("when the cloud nodes exceed 2 OCPU / 12 GB, then the Always Free limit is named", () => {
    const raw = { ...cloudMinimum, oci: { ...cloudMinimum.oci, nodes: [{ ocpus: 2, memoryGbs: 12 }, { ocpus: 1, memoryGbs: 6 }] } };
    assert.throws(() => parseStackConfig(raw, "cloud"), /todo-platform:oci\.nodes \(stack cloud\): nodes exceed the Always Free allowance/);
  });

  it("when the cloud minimum is given, then the broker is Redpanda Cloud with SHA-256, the database in-cluster and ACME staging", () => {
    const config = parseStackConfig(cloudMinimum, "cloud");
    assert.ok(config.stack === "cloud");
    assert.deepEqual(config.broker, { mode: "redpanda-cloud", bootstrapServers: "seed-1.example.com:9092", username: "todo", saslMechanism: "SHA-256" });
    assert.equal(config.database.mode, "in-cluster");
    assert.equal(config.acme.issuer, "staging");
    assert.deepEqual(config.oci.nodes, [{ ocpus: 2, memoryGbs: 12 }]);
  });

  it("when a Kafka SASL mechanism is written as SCRAM-SHA-256, then it is rejected (Dapr wants SHA-256)", () => {
    const raw = { ...cloudMinimum, broker: { ...cloudMinimum.broker, saslMechanism: "SCRAM-SHA-256" } };
    assert.throws(() => parseStackConfig(raw, "cloud"), /todo-platform:broker\.saslMechanism \(stack cloud\)/);
  });

  it("when a secret key is present in the raw values, then it never enters the plain config", () => {
    const config = parseStackConfig({ jwtSecret: "x".repeat(40) }, "local") as unknown as Record<string, unknown>;
    assert.equal(config.jwtSecret, undefined);
  });

  it("when the stack is neither local nor cloud, then it is refused by name", () => {
    assert.throws(() => parseStackConfig({}, "dev"), /unknown stack "dev"/);
  });

  it("when a raw value is JSON, then it is decoded, else kept as a string", () => {
    assert.deepEqual(decodeConfigValue('{"backend":2}'), { backend: 2 });
    assert.equal(decodeConfigValue("todo-app.local"), "todo-app.local");
  });
});
