// The cloud cluster under Pulumi mocks: network perimeter, shape and image lookup, the bootstrap
// commands and their order, and which outputs are secret.
import assert from "node:assert/strict";
import { parse } from "yaml";
import type * as pulumi from "@pulumi/pulumi";
import { validateKubernetesObject } from "../kubernetes-schema/validate";
import {
  byType,
  calls,
  capacityByAd,
  dependencyNames,
  installMocks,
  isSecret,
  isSecretValue,
  MOCK_ADS,
  MOCK_PUBLIC_IPS,
  named,
  optionsByName,
  promiseOf,
  resources,
  reveal,
  setCloudStackConfig,
  setCurrentPublicIp,
} from "./cloud-cluster-mocks";

setCloudStackConfig();
installMocks();

type ClusterModule = typeof import("../../components/cluster/oci-k3s-cluster.js");
type Cluster = InstanceType<ClusterModule["OciK3sCluster"]>;

const baseArgs = {
  compartmentId: "ocid1.compartment.oc1..example",
  availabilityDomains: ["2", "1"],
  bootVolumeSizeGbs: 100,
  sshPublicKey: "ssh-ed25519 AAAAC3Nza user@host",
  adminCidr: "198.51.100.7/32",
  k3sVersion: "v1.33.5+k3s1",
  image: { operatingSystem: "Canonical Ubuntu", operatingSystemVersion: "24.04" },
};

describe("cloud cluster (OCI + k3s) under mocks", () => {
  let mod: ClusterModule;
  let cluster: Cluster;
  let sshPrivateKey: pulumi.Output<string>;

  before(async () => {
    const p = await import("@pulumi/pulumi");
    mod = await import("../../components/cluster/oci-k3s-cluster.js");
    sshPrivateKey = p.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----");
    // The two-node layout exercises the agent join; the one-node default is the same code with no agents.
    cluster = new mod.OciK3sCluster("cloud", { ...baseArgs, nodes: [{ ocpus: 1, memoryGbs: 6 }, { ocpus: 1, memoryGbs: 6 }], sshPrivateKey });
    await promiseOf(cluster.kubeconfig);
    await promiseOf(cluster.sshCommand);
    // A second cluster that asks the capacity report: AD-2 (listed first) has no A1 capacity.
    capacityByAd.set(MOCK_ADS[1], "OUT_OF_HOST_CAPACITY");
    setCurrentPublicIp("198.51.100.99");
    capacityCluster = new mod.OciK3sCluster("cap", { ...baseArgs, tenancyId: "ocid1.tenancy.oc1..example", nodes: [{ ocpus: 2, memoryGbs: 12 }], sshPrivateKey });
    capacityChoice = await promiseOf(capacityCluster.availabilityDomainChoice);
    capacityKubeconfig = await promiseOf(capacityCluster.kubeconfig);
  });

  let capacityCluster: Cluster;
  let capacityChoice: string;
  let capacityKubeconfig: string;

  it("when a node would be replaced, then it is replaced delete-first, protected unless allowed, and neither a new image nor another AD answer replaces it", () => {
    for (const name of ["cloud-node-0", "cloud-node-1"]) {
      const o = optionsByName.get(name)!;
      assert.equal(o.deleteBeforeReplace, true, `${name}: Always Free has room for one A1 launch at a time`);
      assert.equal(o.protect, true, `${name}: a replacement is refused by the engine ("marked for protection")`);
      assert.deepEqual(o.ignoreChanges.sort(), ["availabilityDomain", "sourceDetails.sourceId"]);
    }
  });

  it("when the capacity report is asked, then the first listed AD with A1 room is taken, it says which and why, and the report is taken fresh every run", () => {
    const reports = byType("oci:core/computeCapacityReport:ComputeCapacityReport").filter((r) => r.name.startsWith("cap-"));
    assert.deepEqual(reports.map((r) => r.inputs.availabilityDomain), [MOCK_ADS[1], MOCK_ADS[0]], "one report per listed AD, in order");
    for (const r of reports) {
      assert.equal(r.inputs.compartmentId, "ocid1.tenancy.oc1..example", "the report answers only for the root compartment");
      assert.deepEqual(r.inputs.shapeAvailabilities, [{ instanceShape: "VM.Standard.A1.Flex", instanceShapeConfig: { ocpus: 2, memoryInGbs: 12 } }]);
      assert.equal(optionsByName.get(r.name)!.hasReplacementTrigger, true);
    }
    assert.equal(named("cap-node-0").inputs.availabilityDomain, MOCK_ADS[0]);
    assert.match(capacityChoice, /EU-FRANKFURT-1-AD-2: OUT_OF_HOST_CAPACITY; .*EU-FRANKFURT-1-AD-1: AVAILABLE \(2 free\) → Uocm:EU-FRANKFURT-1-AD-1/);
    // Without a tenancy OCID there is no report: the first listed AD, and the log says so.
    assert.equal(byType("oci:core/computeCapacityReport:ComputeCapacityReport").filter((r) => r.name.startsWith("cloud-")).length, 0);
  });

  it("when the instance's public IP changed since create, then the kubeconfig points at the address OCI reports now; the provider keeps its clusterIdentifier", () => {
    assert.match(capacityKubeconfig, /server: https:\/\/198\.51\.100\.99:6443/);
    const provider = named("cap-k8s");
    assert.equal(reveal(provider.inputs.clusterIdentifier), "oci-k3s/cap-node-0-id");
    assert.equal(String(provider.inputs.deleteUnreachable), "true");
    assert.notEqual(MOCK_PUBLIC_IPS[0], "198.51.100.99");
  });

  it("when the network is created, then SSH/6443 come only from adminCidr and 80/443 from anywhere by destination port", () => {
    const [list] = byType("oci:core/securityList:SecurityList");
    assert.equal(list.name, "cloud-network-security");
    const rules = list.inputs.ingressSecurityRules as { protocol: string; source: string; tcpOptions?: { min: number; max: number; sourcePortRange?: unknown } }[];
    const tcp = rules.filter((r) => r.protocol === "6");
    const sourcesFor = (port: number) => tcp.filter((r) => r.tcpOptions!.min === port && r.tcpOptions!.max === port).map((r) => r.source);
    assert.deepEqual(sourcesFor(22), ["198.51.100.7/32"]);
    assert.deepEqual(sourcesFor(6443), ["198.51.100.7/32"]);
    assert.deepEqual(sourcesFor(80), ["0.0.0.0/0"]);
    assert.deepEqual(sourcesFor(443), ["0.0.0.0/0"]);
    assert.ok(tcp.every((r) => r.tcpOptions!.sourcePortRange === undefined), "no rule filters on source ports");
    assert.deepEqual(tcp.filter((r) => r.source === "0.0.0.0/0").map((r) => r.tcpOptions!.min).sort(), [443, 80]);
  });

  it("when the network is created, then the CI-access NSG exists with no rules of its own (CI adds its runner's /32 per job)", () => {
    const nsg = named("cloud-network-ci-access");
    assert.equal(nsg.type.toLowerCase(), "oci:core/networksecuritygroup:networksecuritygroup");
    assert.equal(byType("oci:core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule").length, 0, "no standing rule: access exists only during a CI job");
  });

  it("when the network is created, then the subnet routes 0.0.0.0/0 through the internet gateway and allows public IPs", () => {
    const [route] = byType("oci:core/routeTable:RouteTable");
    assert.equal(route.inputs.routeRules[0].destination, "0.0.0.0/0");
    assert.equal(route.inputs.routeRules[0].networkEntityId, "cloud-network-igw-id");
    const [subnet] = byType("oci:core/subnet:Subnet");
    assert.equal(subnet.inputs.prohibitPublicIpOnVnic, false);
    assert.deepEqual(subnet.inputs.securityListIds, ["cloud-network-security-id"]);
    assert.equal(subnet.inputs.routeTableId, "cloud-network-routes-id");
  });

  it("when instances are created, then they are A1 Flex with the given shapeConfig, the newest image of the shape-filtered lookup and only the public key in metadata", () => {
    const imageCall = calls.find((c) => c.token.toLowerCase() === "oci:core/getimages:getimages");
    assert.ok(imageCall, "images are looked up");
    assert.equal(imageCall.inputs.shape, "VM.Standard.A1.Flex");
    assert.equal(imageCall.inputs.operatingSystem, "Canonical Ubuntu");
    assert.equal(imageCall.inputs.operatingSystemVersion, "24.04");
    assert.equal(imageCall.inputs.sortBy, "TIMECREATED");
    assert.equal(imageCall.inputs.sortOrder, "DESC");
    const instances = byType("oci:core/instance:Instance").filter((r) => r.name.startsWith("cloud-"));
    assert.deepEqual(instances.map((i) => i.name), ["cloud-node-0", "cloud-node-1"]);
    for (const i of instances) {
      assert.equal(i.inputs.shape, "VM.Standard.A1.Flex");
      assert.deepEqual(i.inputs.shapeConfig, { ocpus: 1, memoryInGbs: 6 });
      assert.equal(i.inputs.sourceDetails.sourceId, "ocid1.image.oc1..newest-aarch64");
      assert.equal(i.inputs.sourceDetails.bootVolumeSizeInGbs, "100");
      assert.equal(i.inputs.availabilityDomain, MOCK_ADS[1], "the first listed AD (index 2) is used");
      assert.deepEqual(Object.keys(i.inputs.metadata), ["ssh_authorized_keys"]);
      assert.equal(i.inputs.createVnicDetails.assignPublicIp, "true");
      // CI's per-job access: an NSG with no standing rules (deploy.yml adds the runner's /32, then removes it).
      assert.deepEqual(i.inputs.createVnicDetails.nsgIds, ["cloud-network-ci-access-id"]);
      assert.equal(i.inputs.extendedMetadata, undefined);
    }
  });

  it("when the bootstrap runs, then each step depends on the one before: instance → cloud-init → firewall → server → agent → nodes ready → kubeconfig → provider", () => {
    const edges: [string, string[]][] = [
      ["cloud-node-0", ["cloud-network-subnet"]],
      ["cloud-node-0-cloud-init", ["cloud-node-0"]],
      ["cloud-node-0-firewall", ["cloud-node-0-cloud-init"]],
      ["cloud-node-1-firewall", ["cloud-node-1-cloud-init"]],
      ["cloud-k3s-server", ["cloud-node-0-firewall"]],
      ["cloud-k3s-agent-1", ["cloud-k3s-server", "cloud-node-1-firewall"]],
      ["cloud-nodes-ready", ["cloud-k3s-agent-1", "cloud-k3s-server"]],
      ["cloud-kubeconfig", ["cloud-nodes-ready"]],
      ["cloud-k8s", ["cloud-kubeconfig"]],
    ];
    for (const [name, before] of edges) {
      const deps = dependencyNames(name);
      for (const b of before) assert.ok(deps.includes(b), `${name} depends on ${b} (has ${deps.join(", ")})`);
    }
    // Nothing runs on the node before cloud-init is done.
    assert.ok(!dependencyNames("cloud-node-0-cloud-init").some((d) => d.includes("firewall") || d.includes("k3s")));
  });

  it("when the commands are created, then they run the rendered scripts as the image's user over the public IP, triggered by script digest + version", () => {
    const commands = byType("command:remote:Command").filter((r) => r.name.startsWith("cloud-"));
    assert.deepEqual(commands.map((c) => c.name).sort(), [
      "cloud-k3s-agent-1",
      "cloud-k3s-server",
      "cloud-kubeconfig",
      "cloud-node-0-cloud-init",
      "cloud-node-0-firewall",
      "cloud-node-1-cloud-init",
      "cloud-node-1-firewall",
      "cloud-nodes-ready",
    ]);
    const server = named("cloud-k3s-server");
    assert.equal(reveal(server.inputs.connection).user, "ubuntu");
    assert.equal(reveal(server.inputs.connection).host, "203.0.113.10");
    assert.equal(server.inputs.create, "sudo bash -s");
    assert.match(reveal<string>(server.inputs.stdin), /--disable=traefik/);
    assert.match(reveal<string>(server.inputs.stdin), /^PUBLIC_IP='203\.0\.113\.10'$/m);
    assert.match(reveal<string>(server.inputs.stdin), /^K3S_VERSION='v1\.33\.5\+k3s1'$/m);
    assert.match(reveal<string>(server.inputs.stdin), /^KUBE_RESERVED='cpu=300m,memory=1600Mi'$/m);
    assert.equal(server.inputs.triggers[1], "v1.33.5+k3s1");
    assert.match(server.inputs.triggers[0], /^[0-9a-f]{64}$/);
    const agent = named("cloud-k3s-agent-1");
    assert.equal(reveal(agent.inputs.connection).host, "203.0.113.11");
    assert.match(reveal<string>(agent.inputs.stdin), /^SERVER_IP='10\.0\.1\.10'$/m, "agents join over the private address");
    assert.match(reveal<string>(agent.inputs.stdin), /^K3S_TOKEN='generated-k3s-token'$/m);
    assert.match(reveal<string>(named("cloud-nodes-ready").inputs.stdin), /^EXPECTED_NODES='2'$/m);
    assert.match(named("cloud-node-0-firewall").inputs.stdin, /REJECT --reject-with icmp-host-prohibited/);
    assert.match(named("cloud-node-0-cloud-init").inputs.stdin, /cloud-init status --wait/);
  });

  it("when the kubeconfig is fetched, then it is a secret pointing at the public IP, and it is not logged", async () => {
    assert.equal(await isSecret(cluster.kubeconfig), true);
    const kubeconfig = parse(await promiseOf(cluster.kubeconfig));
    assert.equal(kubeconfig.clusters[0].cluster.server, "https://203.0.113.10:6443");
    assert.equal(named("cloud-kubeconfig").inputs.logging, "stderr");
    const provider = byType("pulumi:providers:kubernetes").find((r) => r.name === "cloud-k8s")!;
    assert.ok(isSecretValue(provider.inputs.kubeconfig), "the provider gets the kubeconfig as a secret");
    assert.equal(await promiseOf(cluster.publicIp), "203.0.113.10");
    assert.equal(await promiseOf(cluster.sshCommand), "ssh ubuntu@203.0.113.10");
  });

  it("when commands carry the private key or the join token, then those inputs are secret and the token is never on a command line", async () => {
    const p = await import("@pulumi/pulumi");
    assert.equal(await p.isSecret(sshPrivateKey), true);
    const commands = resources.filter((r) => r.type === "command:remote:Command");
    for (const c of commands) {
      assert.ok(isSecretValue(c.inputs.connection), `${c.name}: the connection (private key) is secret`);
      assert.match(reveal(c.inputs.connection).privateKey, /OPENSSH PRIVATE KEY/);
      assert.doesNotMatch(c.inputs.create, /generated-k3s-token/);
    }
    assert.ok(isSecretValue(named("cloud-k3s-server").inputs.stdin), "the server script carries the token: secret");
    assert.ok(isSecretValue(named("cloud-k3s-agent-1").inputs.stdin), "the agent script carries the token: secret");
    assert.match(reveal<string>(named("cloud-k3s-server").inputs.stdin), /^K3S_TOKEN='generated-k3s-token'$/m);
  });

  it("when the layout breaks the Always Free limits, then the component refuses it naming the key", async () => {
    assert.throws(
      () => new mod.OciK3sCluster("too-big", { ...baseArgs, nodes: [{ ocpus: 1, memoryGbs: 6 }, { ocpus: 1, memoryGbs: 6 }], bootVolumeSizeGbs: 150, sshPrivateKey }),
      /bootVolumeSizeGbs: 2 nodes × 150 GB exceeds the 200 GB Always Free storage/,
    );
    assert.throws(
      () => new mod.OciK3sCluster("windows", { ...baseArgs, nodes: [{ ocpus: 2, memoryGbs: 12 }], image: { operatingSystem: "Windows", operatingSystemVersion: "2022" }, sshPrivateKey }),
      /image\.operatingSystem "Windows" is not supported/,
    );
  });
});

describe("Pulumi.cloud.yaml", () => {
  it("when the committed stack settings are parsed by the stack's schema, then they are valid, keep the Always Free defaults and hold no secret", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { parseStackConfig, SECRET_KEYS } = await import("../../stacks/config.js");
    const file = parse(readFileSync(join(__dirname, "..", "..", "Pulumi.cloud.yaml"), "utf8")) as { config: Record<string, unknown> };
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(file.config)) {
      if (key.startsWith("todo-platform:")) raw[key.slice("todo-platform:".length)] = value;
    }
    for (const secret of SECRET_KEYS) assert.equal(raw[secret], undefined, `${secret} is set with pulumi config set --secret, not in the file`);
    const config = parseStackConfig(raw, "cloud");
    assert.equal(config.stack, "cloud");
    if (config.stack !== "cloud") return;
    assert.deepEqual(config.oci.nodes, [{ ocpus: 2, memoryGbs: 12 }]);
    assert.equal(config.oci.bootVolumeSizeGbs, 100);
    assert.equal(config.broker.mode, "redpanda-cloud");
    assert.equal(config.database.mode, "in-cluster");
    assert.equal(config.acme.issuer, "staging");
    assert.equal(file.config["oci:region"], "eu-frankfurt-1");
  });
});

describe("cloud stack (stacks/index.ts with Pulumi.cloud.yaml) under mocks", () => {
  type Program = typeof import("../../stacks/index.js");
  let program: Program;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests read field by field
  const specOf = (r: { inputs: Record<string, unknown> }) => reveal<Record<string, any>>(r.inputs);

  before(async () => {
    program = await import("../../stacks/index.js");
    await promiseOf(program.url);
    await promiseOf(program.kubeconfig!);
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  it("when the cloud stack is planned, then its cluster is the OCI k3s one, one 2/12 node, and kubeconfig/publicIp/sshCommand are exported", async () => {
    const nodes = byType("oci:core/instance:Instance").filter((r) => r.name.startsWith("cluster-node-"));
    assert.deepEqual(nodes.map((n) => n.inputs.shapeConfig), [{ ocpus: 2, memoryInGbs: 12 }]);
    assert.equal(await isSecret(program.kubeconfig!), true);
    assert.match(await promiseOf(program.publicIp!), /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(await promiseOf(program.sshCommand!), /^ssh ubuntu@/);
    // No hostName in Pulumi.cloud.yaml: the URL is HTTPS on <public ip>.sslip.io.
    assert.match(await promiseOf(program.url), /^https:\/\/\d+\.\d+\.\d+\.\d+\.sslip\.io$/);
  });

  it("when the ingress is planned, then it serves TLS with a certificate from the ACME ClusterIssuer (HTTP-01 through Traefik)", () => {
    const [ingress] = byType("kubernetes:networking.k8s.io/v1:Ingress").filter((r) => r.name === "app-ingress").map(specOf);
    assert.ok(ingress.spec.tls?.length >= 1, "the ingress has a tls section");
    assert.ok(ingress.spec.tls[0].secretName, "the certificate lands in a Secret");
    const issuerName = ingress.metadata.annotations["cert-manager.io/cluster-issuer"];
    const [issuer] = byType("kubernetes:cert-manager.io/v1:ClusterIssuer").map(specOf);
    assert.equal(issuer.metadata.name, issuerName);
    assert.match(issuer.spec.acme.server, /acme-staging-v02\.api\.letsencrypt\.org/, "issuer: staging in Pulumi.cloud.yaml");
    assert.equal(issuer.spec.acme.email, "you@example.com");
    assert.ok(issuer.spec.acme.solvers.some((s: { http01?: { ingress?: unknown } }) => s.http01?.ingress), "HTTP-01 solver through the ingress controller");
  });

  it("when the ingress is planned, then plain HTTP is redirected to HTTPS by a schema-valid Middleware of the app namespace, created after the Traefik release, and only the app Ingress uses it", async () => {
    const middlewares = byType("kubernetes:traefik.io/v1alpha1:Middleware");
    assert.deepEqual(middlewares.map((m) => m.name), ["app-middleware-redirect-https"]);
    const middleware = specOf(middlewares[0]);
    assert.equal(middleware.metadata.namespace, "todo");
    assert.deepEqual(middleware.spec, { redirectScheme: { scheme: "https", permanent: true } });
    assert.deepEqual(await validateKubernetesObject(middleware), []);
    // The Middleware CRD is installed by the Traefik chart.
    assert.ok(dependencyNames("app-middleware-redirect-https").includes("platform-traefik"), "the Middleware depends on the Traefik release");

    const [ingress] = byType("kubernetes:networking.k8s.io/v1:Ingress").filter((r) => r.name === "app-ingress").map(specOf);
    const annotations = ingress.metadata.annotations;
    assert.equal(annotations["traefik.ingress.kubernetes.io/router.middlewares"], `todo-${middleware.metadata.name}@kubernetescrd`);
    assert.equal(annotations["traefik.ingress.kubernetes.io/router.entrypoints"], "web,websecure", "the routers must see plain HTTP to redirect it");
    assert.equal(annotations["traefik.ingress.kubernetes.io/router.tls"], undefined, "a TLS-only router would ignore plain HTTP");
    assert.ok(dependencyNames("app-ingress").includes("app-middleware-redirect-https"), "the Ingress waits for its Middleware");
    assert.deepEqual(await validateKubernetesObject(ingress), []);
    // TLS on websecure comes from the entry point.
    const traefik = byType("kubernetes:helm.sh/v3:Release").find((r) => r.name === "platform-traefik")!;
    assert.deepEqual(reveal(traefik.inputs.values).ports.websecure.tls, { enabled: true });
    // No other Ingress in the plan (Grafana's comes from its chart) names the redirect.
    const others = byType("kubernetes:networking.k8s.io/v1:Ingress").filter((r) => r.name !== "app-ingress").map(specOf);
    for (const o of others) assert.equal(o.metadata.annotations?.["traefik.ingress.kubernetes.io/router.middlewares"], undefined, o.metadata.name);
  });

  it("when the broker is Redpanda Cloud, then the pubsub component is Kafka with SASL password auth, SHA-256, 30s init timeout, oldest offset and a Secret for the password", () => {
    const pubsub = byType("kubernetes:dapr.io/v1alpha1:Component").map(specOf).find((c) => c.metadata.name === "pubsub");
    assert.ok(pubsub, "a pubsub component");
    assert.equal(pubsub.spec.type, "pubsub.kafka");
    const meta = Object.fromEntries(pubsub.spec.metadata.map((m: { name: string; value?: string; secretKeyRef?: unknown }) => [m.name, m.value ?? m.secretKeyRef]));
    assert.equal(meta.authType, "password");
    assert.equal(meta.saslMechanism, "SHA-256");
    assert.equal(meta.initialOffset, "oldest");
    assert.equal(meta.brokers, "seed-replace-me.any.eu-central-1.mpx.prd.cloud.redpanda.com:9092");
    assert.equal(typeof meta.saslPassword, "object", "the password comes from a secretKeyRef, not a value");
    assert.ok([pubsub.spec.initTimeout, meta.initTimeout].includes("30s"), "initTimeout 30s for a remote broker");
    assert.doesNotMatch(JSON.stringify(pubsub), /redpanda-password/);
  });

  it("when the images are built, then each is linux/arm64, pushed to OCIR with a content-hash tag, the auth token on stdin", () => {
    const builds = byType("command:local:Command").filter((r) => r.name.endsWith("-build"));
    assert.equal(builds.length, 6);
    for (const b of builds) {
      assert.match(b.inputs.create, /--platform 'linux\/arm64'/);
      assert.match(b.inputs.create, /-t 'fra\.ocir\.io\/replace-me\/todo-platform\/[a-z-]+:[0-9a-f]{12}'/);
      assert.match(b.inputs.create, /--push/);
      assert.doesNotMatch(b.inputs.create, /ocir-auth-token/);
      assert.ok(isSecretValue(b.inputs.stdin), "the registry password is a secret on stdin");
    }
    // One OCIR repository per service in the stack's compartment, created before its push.
    const repos = byType("oci:artifacts/containerRepository:ContainerRepository");
    assert.equal(repos.length, 6);
    for (const r of repos) {
      assert.equal(r.inputs.compartmentId, "ocid1.compartment.oc1..replace-me");
      assert.match(r.inputs.displayName, /^todo-platform\/[a-z-]+$/);
      assert.equal(r.inputs.isPublic, false);
      const service = r.inputs.displayName.split("/")[1];
      assert.ok(dependencyNames(`app-image-${service}-build`).includes(r.name), `${service}: the build waits for its repository`);
    }
    for (const d of byType("kubernetes:apps/v1:Deployment").filter((r) => r.name.startsWith("app-")).map(specOf)) {
      assert.match(d.spec.template.spec.containers[0].image, /^fra\.ocir\.io\//);
      assert.ok(d.spec.template.spec.imagePullSecrets?.length >= 1, `${d.metadata.name} pulls with an image pull secret`);
    }
  });
});
