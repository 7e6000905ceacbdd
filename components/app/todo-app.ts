import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { JWT_SECRET_NAME } from "@todo/contracts/secret-names";
import { commonLabels } from "@todo/contracts/labels";
import { apps, type AppId } from "@todo/contracts/topology";
import type { BrokerConnection } from "../broker-connection";
import type { ResourceSpec } from "../resource-spec";
import { daprResources, type BrokerSpec } from "./dapr-resources";
import { HTTPS_REDIRECT_MIDDLEWARE, httpsRedirectMiddlewareManifest, ingressManifest } from "./ingress-manifest";
import { serviceImageTag } from "./image-tag";
import { limitRange, networkPolicies, resourceQuota } from "./namespace-policies";
import { parseCpu, parseMemory } from "../quantity";
import { ServiceImage, type ImageBuildTarget } from "./service-image";
import {
  AUTOSCALED_APPS,
  DATABASE_APPS,
  deploymentManifest,
  hpaManifest,
  pdbManifest,
  serviceManifest,
  SHUTDOWN_TIMEOUT_S,
} from "./workload-manifests";

/** Arguments of {@link TodoApp}. */
export interface TodoAppArgs {
  provider: k8s.Provider;
  /** Namespace of the services (created here). */
  namespace: string;
  /** Public host of the Ingress. */
  host: pulumi.Input<string>;
  /** Absolute path of `services/` (Dockerfile + build context). */
  servicesDir: string;
  /** Where the images are built: the Minikube node, or a registry (cloud, with a pull secret). */
  build: ImageBuildTarget;
  replicas: Record<AppId, number>;
  resources: Record<AppId, ResourceSpec>;
  sidecarResources: ResourceSpec;
  autoscaling: { maxReplicas: number; targetCpuPercent: number };
  logLevel: string;
  /** JWT signing secret from config; generated when absent. */
  jwtSecret?: pulumi.Input<string>;
  /** PostgreSQL URL (secret). */
  databaseUrl: pulumi.Input<string>;
  broker: BrokerConnection;
  /** The Dapr release: its CRDs and sidecar injector must exist before any Dapr CR or pod. */
  daprRelease: pulumi.Resource;
  /** Everything else the services need running first (broker, database, ingress controller). */
  dependsOn: pulumi.Resource[];
  ingressClassName: string;
  /** Cloud: TLS through cert-manager. */
  tls?: { clusterIssuer: string };
  namespaces: { ingressController: string; dapr: string; monitoring: string; data: string };
  dataPorts: number[];
  externalPorts: number[];
}

export const JWT_SECRET_KEY = JWT_SECRET_NAME;
export const DATABASE_SECRET = "database";
export const BROKER_SECRET = "broker-credentials";
export const SERVICE_CONFIG_MAP = "todo-service-config";
export const DAPR_APPS_SERVICE_ACCOUNT = "todo-dapr-apps";
export const WEB_SERVICE_ACCOUNT = "todo-web";
export const IMAGE_PULL_SECRET = "registry-pull";

/**
 * The services on the cluster: images, one Deployment/Service per service with its Dapr sidecar,
 * HPAs, PDBs, guard rails (NetworkPolicies, quota, limits), Secrets, the Ingress and the Dapr
 * resources generated from topology.ts.
 */
export class TodoApp extends pulumi.ComponentResource {
  /** Image reference per service. */
  public readonly images: Record<string, string>;

  constructor(name: string, args: TodoAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:app:TodoApp", name, {}, opts);
    for (const a of apps) {
      if (!(args.replicas[a.id] >= 1)) throw new pulumi.ResourceError(`replicas.${a.id}: expected a number ≥ 1`, this);
      if (!args.resources[a.id]) throw new pulumi.ResourceError(`resources.${a.id}: missing`, this);
    }
    const self = { parent: this, provider: args.provider };
    const ns = args.namespace;
    const labels = { ...commonLabels };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      // Pod Security Admission: our containers meet `restricted` (warned/audited); `baseline` is enforced so
      // that injected sidecars and cert-manager solver pods, which we do not shape, are never refused.
      {
        metadata: {
          name: ns,
          labels: { ...labels, "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" },
        },
      },
      self,
    );
    const inNs = { ...self, dependsOn: [namespace] };

    // ---- Secrets (values are secret Outputs; nothing in clear in state or in the rendered plan)
    const jwt = args.jwtSecret ? pulumi.secret(args.jwtSecret) : new random.RandomPassword(`${name}-jwt-secret`, { length: 48, special: false }, { parent: this }).result;
    const jwtSecret = new k8s.core.v1.Secret(`${name}-jwt-secret`, { metadata: { name: JWT_SECRET_NAME, namespace: ns, labels }, stringData: { [JWT_SECRET_KEY]: pulumi.secret(jwt) } }, inNs);
    const databaseSecret = new k8s.core.v1.Secret(
      `${name}-database`,
      { metadata: { name: DATABASE_SECRET, namespace: ns, labels }, stringData: { url: pulumi.secret(args.databaseUrl) } },
      inNs,
    );
    const brokerPassword = args.broker.kind === "redis" ? args.broker.password : args.broker.auth.type === "password" ? args.broker.auth.password : undefined;
    const secrets: pulumi.Resource[] = [jwtSecret, databaseSecret];
    if (brokerPassword) {
      secrets.push(new k8s.core.v1.Secret(`${name}-broker`, { metadata: { name: BROKER_SECRET, namespace: ns, labels }, stringData: { password: pulumi.secret(brokerPassword) } }, inNs));
    }
    const pullSecrets: string[] = [];
    if (args.build.kind === "registry") {
      const b = args.build;
      const dockerConfig = pulumi
        .output(b.password)
        .apply((password) => JSON.stringify({ auths: { [b.server]: { username: b.username, password, auth: Buffer.from(`${b.username}:${password}`).toString("base64") } } }));
      secrets.push(
        new k8s.core.v1.Secret(
          `${name}-registry-pull`,
          { metadata: { name: IMAGE_PULL_SECRET, namespace: ns, labels }, type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": pulumi.secret(dockerConfig) } },
          inNs,
        ),
      );
      pullSecrets.push(IMAGE_PULL_SECRET);
    }

    // ---- Identity: the sidecars may read `jwt-secret` and nothing else.
    const daprAccount = new k8s.core.v1.ServiceAccount(`${name}-dapr-apps-sa`, { metadata: { name: DAPR_APPS_SERVICE_ACCOUNT, namespace: ns, labels } }, inNs);
    const webAccount = new k8s.core.v1.ServiceAccount(
      `${name}-web-sa`,
      { metadata: { name: WEB_SERVICE_ACCOUNT, namespace: ns, labels }, automountServiceAccountToken: false },
      inNs,
    );
    const role = new k8s.rbac.v1.Role(
      `${name}-secret-reader`,
      { metadata: { name: "todo-secret-reader", namespace: ns, labels }, rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [JWT_SECRET_NAME], verbs: ["get"] }] },
      inNs,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-secret-reader`,
      {
        metadata: { name: "todo-secret-reader", namespace: ns, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "todo-secret-reader" },
        subjects: [{ kind: "ServiceAccount", name: DAPR_APPS_SERVICE_ACCOUNT, namespace: ns }],
      },
      { ...inNs, dependsOn: [role, daprAccount] },
    );

    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata: { name: SERVICE_CONFIG_MAP, namespace: ns, labels }, data: { LOG_LEVEL: args.logLevel, SHUTDOWN_TIMEOUT_S: String(SHUTDOWN_TIMEOUT_S) } },
      inNs,
    );

    // ---- Guard rails
    const maxReplicas = (id: AppId) => (AUTOSCALED_APPS.includes(id) ? Math.max(args.autoscaling.maxReplicas, args.replicas[id]) : args.replicas[id]);
    // The quota counts CPU in cores.
    const cpuCores = (q: string) => parseCpu(q) / 1000;
    const sum = (pick: (r: ResourceSpec) => string, conv: (q: string) => number) =>
      apps.reduce((total, a) => total + maxReplicas(a.id) * (conv(pick(args.resources[a.id])) + (a.dapr ? conv(pick(args.sidecarResources)) : 0)), 0);
    const quotaManifest = resourceQuota({
        namespace: ns,
        cpuRequests: sum((r) => r.requests.cpu, cpuCores),
        memoryRequestsMi: sum((r) => r.requests.memory, parseMemory),
        cpuLimits: sum((r) => r.limits.cpu, cpuCores),
        memoryLimitsMi: sum((r) => r.limits.memory, parseMemory),
        pods: apps.reduce((n, a) => n + maxReplicas(a.id), 0),
    });
    const quota = new k8s.core.v1.ResourceQuota(`${name}-quota`, quotaManifest, inNs);
    const limits = new k8s.core.v1.LimitRange(`${name}-limits`, limitRange(ns), inNs);
    const policies = networkPolicies({
      namespace: ns,
      ingressControllerNamespace: args.namespaces.ingressController,
      daprNamespace: args.namespaces.dapr,
      monitoringNamespace: args.namespaces.monitoring,
      dataNamespace: args.namespaces.data,
      dataPorts: args.dataPorts,
      externalPorts: args.externalPorts,
      acmeSolver: Boolean(args.tls),
    }).map((p) => new k8s.networking.v1.NetworkPolicy(`${name}-netpol-${p.metadata.name}`, p, inNs));

    // ---- Dapr resources (CRDs come with the Dapr release)
    const broker: BrokerSpec =
      args.broker.kind === "redis"
        ? { kind: "redis", host: args.broker.host, password: { name: BROKER_SECRET, key: "password" } }
        : args.broker.auth.type === "password"
          ? {
              kind: "kafka",
              brokers: args.broker.brokers,
              auth: { type: "password", username: args.broker.auth.username, saslMechanism: args.broker.auth.saslMechanism, password: { name: BROKER_SECRET, key: "password" } },
            }
          : { kind: "kafka", brokers: args.broker.brokers, auth: { type: "none" } };
    const daprObjects = daprResources({ namespace: ns, broker, labels }).map(
      (o) => new k8s.apiextensions.CustomResource(`${name}-${o.kind.toLowerCase()}-${o.metadata.name}`, o, { ...self, dependsOn: [namespace, args.daprRelease, ...secrets] }),
    );

    // ---- Images and workloads
    this.images = {};
    for (const a of apps) {
      const tag = serviceImageTag(args.servicesDir, a.id);
      // Built into the cluster's node (Minikube) or pushed before the cluster pulls: after the cluster is up.
      const image = new ServiceImage(`${name}-image-${a.id}`, { service: a.id, tag, servicesDir: args.servicesDir, target: args.build }, { parent: this, dependsOn: [args.provider] });
      this.images[a.id] = image.ref;
      const workload = {
        app: a,
        namespace: ns,
        image: image.ref,
        imagePullPolicy: "IfNotPresent" as const,
        imagePullSecrets: pullSecrets,
        replicas: args.replicas[a.id],
        resources: args.resources[a.id],
        sidecar: args.sidecarResources,
        configMapName: SERVICE_CONFIG_MAP,
        databaseUrl: DATABASE_APPS.includes(a.id) ? { name: DATABASE_SECRET, key: "url" } : undefined,
        serviceAccountName: a.dapr ? DAPR_APPS_SERVICE_ACCOUNT : WEB_SERVICE_ACCOUNT,
      };
      const deployment = new k8s.apps.v1.Deployment(`${name}-${a.id}`, deploymentManifest(workload), {
        ...self,
        // The injector must be running before the pods are created, or they start without a sidecar.
        dependsOn: [image, configMap, binding, webAccount, quota, limits, ...secrets, ...daprObjects, ...args.dependsOn, args.daprRelease],
        // The HPA owns the replica count once it exists; re-applying ours on every `up` would fight it.
        ignoreChanges: AUTOSCALED_APPS.includes(a.id) ? ["spec.replicas"] : [],
      });
      new k8s.core.v1.Service(`${name}-${a.id}`, serviceManifest(workload), inNs);
      new k8s.policy.v1.PodDisruptionBudget(`${name}-${a.id}`, pdbManifest(workload), inNs);
      if (AUTOSCALED_APPS.includes(a.id)) {
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-${a.id}`, hpaManifest(workload, args.autoscaling.maxReplicas, args.autoscaling.targetCpuPercent), {
          ...self,
          dependsOn: [deployment],
        });
      }
    }

    // Cloud: plain HTTP to the app is redirected to HTTPS. The Middleware CRD comes with the Traefik
    // release (in args.dependsOn); the Ingress waits for the Middleware, as a router naming a missing
    // middleware is dropped by Traefik.
    const httpsRedirect = args.tls
      ? new k8s.apiextensions.CustomResource(
          `${name}-middleware-${HTTPS_REDIRECT_MIDDLEWARE}`,
          httpsRedirectMiddlewareManifest({ namespace: ns, name: HTTPS_REDIRECT_MIDDLEWARE }),
          { ...self, dependsOn: [namespace, ...args.dependsOn] },
        )
      : undefined;
    new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      ingressManifest({
        namespace: ns,
        host: args.host,
        ingressClassName: args.ingressClassName,
        tls: args.tls ? { clusterIssuer: args.tls.clusterIssuer, secretName: "todo-tls", httpsRedirectMiddleware: HTTPS_REDIRECT_MIDDLEWARE } : undefined,
      }),
      { ...inNs, dependsOn: [namespace, ...policies, ...args.dependsOn, ...(httpsRedirect ? [httpsRedirect] : [])] },
    );

    this.registerOutputs({ images: this.images });
  }
}
