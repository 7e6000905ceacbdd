// The Pulumi entry: one program for both stacks (`local`, `cloud`); they differ by config only.
// It wires the components together and exports the few outputs a user needs.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { join } from "node:path";
import { apps, type AppId } from "@todo/contracts/topology";
import { TodoApp } from "../components/app/todo-app";
import { ExistingCluster } from "../components/cluster/existing-cluster";
import { deletedWithCluster } from "../components/cluster/in-cluster-lifecycle";
import { MinikubeCluster } from "../components/cluster/minikube-cluster";
import { OciK3sCluster } from "../components/cluster/oci-k3s-cluster";
import { cloudBackupArgs } from "../components/backup/backup-settings";
import { PostgresBackup } from "../components/backup/postgres-backup";
import { Observability } from "../components/observability/observability";
import { INGRESS_CLASS, NAMESPACES, Platform, type BrokerChoice } from "../components/platform/platform";
import { formatFindings, preflightFindings, programRunsPreflight } from "./preflight/checks";
import { probe } from "./preflight/probes";
import { loadStackConfig, replicasOf, serviceResourcesOf } from "./config";

const { config, secrets } = loadStackConfig();

// The preflight (`npm run preflight -- --stack <s>`), also at the start of every real `pulumi up`:
// a missing tool or secret stops the run here, named with its fix, before anything is created.
if (programRunsPreflight({ hasEngine: pulumi.runtime.hasEngine(), dryRun: pulumi.runtime.isDryRun(), env: process.env })) {
  const findings = preflightFindings(config.stack, probe(config.stack, join(__dirname, "..")));
  if (findings.some((f) => !f.ok)) throw new Error(`${formatFindings(config.stack, findings)}\n(TODO_PLATFORM_SKIP_PREFLIGHT=1 skips this check)`);
}
const servicesDir = join(__dirname, "..", "services");
const APP_NAMESPACE = "todo";

// ---- Cluster: a Minikube profile (or an existing context) locally, OCI + k3s in the cloud.
let provider: k8s.Provider;
let host: pulumi.Output<string>;
let cloud: OciK3sCluster | undefined;
let buildProfile = "";
/** Options of every component with in-cluster resources: on a cluster the stack owns, they are deletedWith it. */
let inCluster: pulumi.ComponentResourceOptions = {};
if (config.stack === "local") {
  if (config.kubeContext) {
    provider = new ExistingCluster("cluster", { context: config.kubeContext }).provider;
  } else {
    const minikube = new MinikubeCluster("cluster", config.minikube);
    provider = minikube.provider;
    // The stack owns the profile: its objects go with it (components/cluster/in-cluster-lifecycle.ts).
    inCluster = { transformations: [deletedWithCluster(minikube.lifecycle)] };
  }
  // Images are built into the Minikube node's runtime: the profile, or the existing context's profile.
  buildProfile = config.kubeContext ?? config.minikube.profile;
  host = pulumi.output(config.hostName);
} else {
  cloud = new OciK3sCluster("cluster", {
    compartmentId: config.oci.compartmentId,
    availabilityDomains: config.oci.availabilityDomains,
    tenancyId: config.oci.tenancyId ?? (config.oci.compartmentId.startsWith("ocid1.tenancy.") ? config.oci.compartmentId : new pulumi.Config("oci").get("tenancyOcid")),
    allowNodeReplacement: config.oci.allowNodeReplacement,
    nodes: config.oci.nodes,
    bootVolumeSizeGbs: config.oci.bootVolumeSizeGbs,
    sshPublicKey: config.sshPublicKey,
    sshPrivateKey: secrets.sshPrivateKey!,
    adminCidr: config.oci.adminCidr,
    k3sVersion: config.oci.k3sVersion,
    image: config.oci.image,
  });
  provider = cloud.provider;
  inCluster = { transformations: [deletedWithCluster(cloud.lifecycle)] };
  const hostName = config.hostName;
  host = hostName ? pulumi.output(hostName) : cloud.publicIp.apply((ip) => `${ip}.sslip.io`);
}

// ---- Platform: Helm releases, broker, database.
const broker: BrokerChoice =
  config.stack === "local"
    ? { kind: "redis" }
    : config.broker.mode === "in-cluster"
      ? { kind: "redpanda-in-cluster" }
      : { kind: "redpanda-cloud", bootstrapServers: config.broker.bootstrapServers, username: config.broker.username, saslMechanism: config.broker.saslMechanism, password: secrets.brokerPassword! };
const platform = new Platform("platform", {
  provider,
  appNamespace: APP_NAMESPACE,
  charts: config.charts,
  images: config.images,
  storage: config.storage,
  resources: config.resources,
  host,
  tls: config.stack === "cloud" ? { acmeEmail: config.acme.email, issuer: config.acme.issuer } : undefined,
  traefikOnNodePorts: config.stack === "local",
  broker,
  database: config.stack === "cloud" && config.database.mode === "external" ? { kind: "external", url: secrets.databaseUrl! } : { kind: "in-cluster" },
}, inCluster);

// ---- The services.
const perApp = <T>(f: (id: AppId) => T) => Object.fromEntries(apps.map((a) => [a.id, f(a.id)])) as Record<AppId, T>;
new TodoApp("app", {
  provider,
  namespace: APP_NAMESPACE,
  host,
  servicesDir,
  build:
    config.stack === "local"
      ? { kind: "minikube", profile: buildProfile, repositoryPrefix: "todo-platform" }
      : {
          kind: "registry",
          server: config.registry.server,
          repositoryPrefix: `${config.registry.server}/${config.registry.namespace}/todo-platform`,
          username: config.registry.username,
          password: secrets.registryPassword!,
          platform: "linux/arm64",
          ociCompartmentId: config.oci.compartmentId,
          repositoryPath: "todo-platform",
        },
  replicas: perApp((id) => replicasOf(config, id)),
  resources: perApp((id) => serviceResourcesOf(config, id)),
  sidecarResources: config.resources.daprSidecar,
  autoscaling: config.autoscaling,
  logLevel: config.logLevel,
  jwtSecret: secrets.jwtSecret,
  databaseUrl: platform.databaseUrl,
  broker: platform.broker,
  daprRelease: platform.daprRelease,
  dependsOn: [...platform.ready, platform.traefikRelease],
  ingressClassName: INGRESS_CLASS,
  tls: platform.clusterIssuerName ? { clusterIssuer: platform.clusterIssuerName } : undefined,
  namespaces: { ingressController: NAMESPACES.traefik, dapr: NAMESPACES.dapr, monitoring: NAMESPACES.monitoring, data: NAMESPACES.data },
  dataPorts: platform.dataPorts,
  externalPorts: platform.externalPorts,
}, inCluster);

// ---- Dashboards, alert rules and scrape config (kube-prometheus-stack CRDs first).
new Observability(
  "observability",
  { appNamespace: APP_NAMESPACE, monitoringNamespace: NAMESPACES.monitoring, daprNamespace: NAMESPACES.dapr },
  { ...inCluster, provider, dependsOn: [platform.kubePrometheusStackRelease] },
);

// ---- Nightly backups of the in-cluster PostgreSQL to OCI Object Storage (docs/RUNBOOKS.md).
if (config.stack === "cloud" && config.database.mode === "in-cluster")
  new PostgresBackup("backup", cloudBackupArgs({ provider, compartmentId: config.oci.compartmentId, objectStorageNamespace: config.registry.namespace, region: new pulumi.Config("oci").require("region"), postgresImage: config.images.postgres, dataNamespace: NAMESPACES.data, settings: config.backup, accessKeyId: secrets.backupAccessKeyId, secretKey: secrets.backupSecretKey }), { ...inCluster, dependsOn: platform.ready });

// ---- Outputs
const scheme = config.stack === "cloud" ? "https" : "http";
export const url = pulumi.interpolate`${scheme}://${host}`;
export const grafanaUrl = pulumi.interpolate`${scheme}://${host}/grafana`;
export const grafanaLogin = `user "admin"; password: pulumi stack output grafanaAdminPassword --show-secrets -s ${pulumi.getStack()}`;
export const grafanaAdminPassword = platform.grafanaAdminPassword;
export const hostsEntry =
  config.stack === "local" ? pulumi.interpolate`add to /etc/hosts: "$(minikube -p ${buildProfile} ip) ${host}" (macOS/Windows docker driver: 127.0.0.1 and \`kubectl -n traefik port-forward svc/traefik 80:80\`)` : undefined;
export const publicIp = cloud?.publicIp;
export const sshCommand = cloud?.sshCommand;
export const availabilityDomain = cloud?.availabilityDomainChoice;
/** CI opens this NSG to its runner for one job (scripts/ci-cluster-access.sh). */
export const ciAccessNsgId = cloud?.ciAccessNsgId;
export const kubeconfig = cloud ? pulumi.secret(cloud.kubeconfig) : undefined;
