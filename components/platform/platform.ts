import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import type { BrokerConnection } from "../broker-connection";
import type { ResourceSpec } from "../resource-spec";
import { clusterIssuerManifest } from "./cluster-issuer";
import { dataNamespacePolicies } from "./data-namespace-policies";
import { CHART_REPOSITORIES, certManagerValues, daprValues, kubePrometheusStackValues, traefikValues } from "./helm-values";
import { KafkaTopics, topicNames } from "./kafka-topics";
import { Postgres, POSTGRES_PORT, postgresUrl } from "./postgres";
import { Redis, REDIS_PORT } from "./redis";
import { Redpanda, REDPANDA_PORT } from "./redpanda";
import { commonLabels } from "@todo/contracts/labels";

/** Where the system's events go. */
export type BrokerChoice =
  | { kind: "redis" }
  | { kind: "redpanda-in-cluster" }
  | { kind: "redpanda-cloud"; bootstrapServers: string; username: string; saslMechanism: "SHA-256" | "SHA-512"; password: pulumi.Input<string> };

/** Arguments of {@link Platform}. */
export interface PlatformArgs {
  provider: k8s.Provider;
  /** Namespace of the services: the only one allowed into the data namespace. */
  appNamespace: string;
  /** Pinned chart versions. */
  charts: { dapr: string; traefik: string; kubePrometheusStack: string; certManager: string };
  /** Pinned images of the in-cluster stores. */
  images: { redis: string; postgres: string; redpanda: string };
  storage: { postgres: string; daprScheduler: string; prometheus: string; prometheusRetention: string };
  resources: { postgres: ResourceSpec; redis: ResourceSpec };
  /** Public host (Grafana is served at `/grafana` on it). */
  host: pulumi.Input<string>;
  /** Cloud: cert-manager + a Let's Encrypt ClusterIssuer (HTTP-01 through Traefik). */
  tls?: { acmeEmail: string; issuer: "staging" | "production" };
  /** Minikube (no LoadBalancer): Traefik binds the node's ports 80/443 and reports `host` as the Ingress address. */
  traefikOnNodePorts: boolean;
  broker: BrokerChoice;
  /** In-cluster PostgreSQL, or an external database URL (secret). */
  database: { kind: "in-cluster" } | { kind: "external"; url: pulumi.Input<string> };
}

export const NAMESPACES = {
  dapr: "dapr-system",
  traefik: "traefik",
  monitoring: "monitoring",
  certManager: "cert-manager",
  data: "todo-data",
} as const;
export const INGRESS_CLASS = "traefik";
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const GRAFANA_ADMIN_USER = "admin";

/**
 * Everything the app stands on: Helm releases (Dapr, Traefik, kube-prometheus-stack, cert-manager in
 * the cloud), the broker and PostgreSQL. Exposes the releases so that custom resources can depend on
 * the release that installs their CRDs.
 */
export class Platform extends pulumi.ComponentResource {
  public readonly daprRelease: k8s.helm.v3.Release;
  public readonly traefikRelease: k8s.helm.v3.Release;
  public readonly kubePrometheusStackRelease: k8s.helm.v3.Release;
  public readonly certManagerRelease?: k8s.helm.v3.Release;
  /** Name of the ClusterIssuer the Ingress asks for a certificate (cloud). */
  public readonly clusterIssuerName?: string;
  /** Releases and stores the app must wait for (sidecar injector, broker, database). */
  public readonly ready: pulumi.Resource[];
  /** PostgreSQL URL (secret). */
  public readonly databaseUrl: pulumi.Output<string>;
  public readonly broker: BrokerConnection;
  /** TCP ports of the in-cluster stores the app reaches in the data namespace. */
  public readonly dataPorts: number[];
  /** TCP ports the app reaches outside the cluster (managed broker / database). */
  public readonly externalPorts: number[];
  public readonly grafanaAdminPassword: pulumi.Output<string>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:platform:Platform", name, {}, opts);
    const self = { parent: this, provider: args.provider };
    const host = pulumi.output(args.host);

    const ns = Object.fromEntries(
      Object.entries(NAMESPACES)
        .filter(([key]) => key !== "certManager" || args.tls)
        .map(([key, nsName]) => [
          key,
          new k8s.core.v1.Namespace(
            `${name}-ns-${nsName}`,
            { metadata: { name: nsName, labels: { ...commonLabels } } },
            self,
          ),
        ]),
    ) as Record<keyof typeof NAMESPACES, k8s.core.v1.Namespace>;

    const release = (role: string, chart: string, version: string, repo: string, namespace: keyof typeof NAMESPACES, values: pulumi.Input<object>, dependsOn: pulumi.Resource[] = []) =>
      new k8s.helm.v3.Release(
        `${name}-${role}`,
        {
          name: role,
          chart,
          version,
          repositoryOpts: { repo },
          namespace: NAMESPACES[namespace],
          values,
          // Waits until the chart's pods are ready, so dependants really find CRDs and webhooks.
          timeout: 900,
          maxHistory: 5,
        },
        { ...self, dependsOn: [ns[namespace], ...dependsOn] },
      );

    // Prometheus operator CRDs first: Traefik and Dapr ship ServiceMonitors/PodMonitors.
    const grafanaPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 24, special: false }, { parent: this });
    this.grafanaAdminPassword = pulumi.secret(grafanaPassword.result);
    const grafanaSecret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace: NAMESPACES.monitoring },
        stringData: { "admin-user": GRAFANA_ADMIN_USER, "admin-password": pulumi.secret(grafanaPassword.result) },
      },
      { ...self, dependsOn: [ns.monitoring] },
    );

    if (args.tls) {
      this.certManagerRelease = release("cert-manager", "cert-manager", args.charts.certManager, CHART_REPOSITORIES.certManager, "certManager", certManagerValues());
      this.clusterIssuerName = `letsencrypt-${args.tls.issuer}`;
      new k8s.apiextensions.CustomResource(
        `${name}-cluster-issuer`,
        clusterIssuerManifest({ name: this.clusterIssuerName, email: args.tls.acmeEmail, issuer: args.tls.issuer, ingressClassName: INGRESS_CLASS }),
        { ...self, dependsOn: [this.certManagerRelease] },
      );
    }

    this.kubePrometheusStackRelease = release(
      "kube-prometheus-stack",
      "kube-prometheus-stack",
      args.charts.kubePrometheusStack,
      CHART_REPOSITORIES.kubePrometheusStack,
      "monitoring",
      host.apply((h) =>
        kubePrometheusStackValues({
          host: h,
          scheme: args.tls ? "https" : "http",
          ingressClassName: INGRESS_CLASS,
          grafanaAdminSecret: GRAFANA_ADMIN_SECRET,
          retention: args.storage.prometheusRetention,
          storageSize: args.storage.prometheus,
          tlsClusterIssuer: this.clusterIssuerName,
        }),
      ),
      [grafanaSecret, ...(this.certManagerRelease ? [this.certManagerRelease] : [])],
    );

    this.traefikRelease = release(
      "traefik",
      "traefik",
      args.charts.traefik,
      CHART_REPOSITORIES.traefik,
      "traefik",
      host.apply((h) => traefikValues({ ingressClassName: INGRESS_CLASS, nodeHost: args.traefikOnNodePorts ? h : undefined, serviceMonitor: true })),
      [this.kubePrometheusStackRelease],
    );

    this.daprRelease = release(
      "dapr",
      "dapr",
      args.charts.dapr,
      CHART_REPOSITORIES.dapr,
      "dapr",
      daprValues({ schedulerStorageSize: args.storage.daprScheduler }),
    );

    const storeOpts = { ...self, dependsOn: [ns.data] };
    const ready: pulumi.Resource[] = [this.daprRelease];
    this.dataPorts = [];
    this.externalPorts = [];

    if (args.database.kind === "in-cluster") {
      const password = new random.RandomPassword(`${name}-postgres-password`, { length: 32, special: false }, { parent: this });
      ready.push(
        new Postgres(
          `${name}-postgres`,
          { namespace: NAMESPACES.data, image: args.images.postgres, storageSize: args.storage.postgres, resources: args.resources.postgres, password: password.result },
          storeOpts,
        ),
      );
      this.databaseUrl = pulumi.secret(password.result.apply((p) => postgresUrl(NAMESPACES.data, p)));
      this.dataPorts.push(POSTGRES_PORT);
    } else {
      this.databaseUrl = pulumi.secret(args.database.url);
      this.externalPorts.push(POSTGRES_PORT);
    }

    const b = args.broker;
    if (b.kind === "redis") {
      const password = new random.RandomPassword(`${name}-redis-password`, { length: 32, special: false }, { parent: this });
      const redis = new Redis(`${name}-redis`, { namespace: NAMESPACES.data, image: args.images.redis, resources: args.resources.redis, password: password.result }, storeOpts);
      ready.push(redis);
      this.broker = { kind: "redis", host: `redis.${NAMESPACES.data}.svc.cluster.local:${REDIS_PORT}`, password: pulumi.secret(password.result) };
      this.dataPorts.push(REDIS_PORT);
    } else if (b.kind === "redpanda-in-cluster") {
      const redpanda = new Redpanda(`${name}-redpanda`, { namespace: NAMESPACES.data, image: args.images.redpanda }, storeOpts);
      const brokers = `redpanda.${NAMESPACES.data}.svc.cluster.local:${REDPANDA_PORT}`;
      ready.push(redpanda, new KafkaTopics(`${name}-topics`, { namespace: NAMESPACES.data, image: args.images.redpanda, brokers, auth: { type: "none" } }, { ...self, dependsOn: [redpanda] }));
      this.broker = { kind: "kafka", brokers, auth: { type: "none" } };
      this.dataPorts.push(REDPANDA_PORT);
    } else {
      const credentials = new k8s.core.v1.Secret(
        `${name}-kafka-credentials`,
        { metadata: { name: "kafka-credentials", namespace: NAMESPACES.data }, stringData: { password: pulumi.secret(b.password) } },
        storeOpts,
      );
      ready.push(
        new KafkaTopics(
          `${name}-topics`,
          {
            namespace: NAMESPACES.data,
            image: args.images.redpanda,
            brokers: b.bootstrapServers,
            auth: { type: "password", username: b.username, saslMechanism: b.saslMechanism, passwordSecret: { name: "kafka-credentials", key: "password" } },
          },
          { ...self, dependsOn: [credentials] },
        ),
      );
      this.broker = { kind: "kafka", brokers: b.bootstrapServers, auth: { type: "password", username: b.username, saslMechanism: b.saslMechanism, password: pulumi.secret(b.password) } };
      this.externalPorts.push(...new Set(b.bootstrapServers.split(",").map((hp) => Number(hp.split(":")[1]))));
    }
    this.ready = ready;
    for (const p of dataNamespacePolicies(NAMESPACES.data, args.appNamespace, this.dataPorts)) {
      new k8s.networking.v1.NetworkPolicy(`${name}-data-netpol-${p.metadata.name}`, p, storeOpts);
    }

    this.registerOutputs({ databaseUrl: this.databaseUrl, grafanaAdminPassword: this.grafanaAdminPassword, topics: topicNames() });
  }
}
