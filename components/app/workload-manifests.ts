import type * as k8s from "@pulumi/kubernetes";
import type { AppDefinition, AppId } from "@todo/contracts/topology";
import type { ResourceSpec } from "../resource-spec";
import { DAPR_CONFIGURATION_NAME, appHealthAnnotations, type SecretRef } from "./dapr-resources";
import { PART_OF } from "@todo/contracts/labels";

/** Pure builders of one service's Kubernetes objects (Deployment, Service, HPA, PDB). */

/** Label the NetworkPolicies select Dapr-enabled pods by (the sidecars talk to each other). */
export const DAPR_POD_LABEL = "todo-platform/dapr";
/** Label of pods the ingress controller may reach. */
export const INGRESS_POD_LABEL = "todo-platform/ingress";
/** Dapr sidecar ports: HTTP API (in-pod), internal gRPC between sidecars, Prometheus metrics. */
export const DAPR_SIDECAR_PORTS = { http: 3500, grpc: 50001, internalGrpc: 50002, metrics: 9090 } as const;

/** Services that own a PostgreSQL schema and get `DATABASE_URL`. */
export const DATABASE_APPS: readonly AppId[] = ["backend", "event-processor", "reminder-scheduler", "notification"];
/** Services scaled by CPU (the API and the busiest consumer). */
export const AUTOSCALED_APPS: readonly AppId[] = ["backend", "event-processor"];

export interface WorkloadOptions {
  app: AppDefinition;
  namespace: string;
  image: string;
  imagePullPolicy: "IfNotPresent" | "Always";
  imagePullSecrets: string[];
  replicas: number;
  resources: ResourceSpec;
  sidecar: ResourceSpec;
  /** ConfigMap with the settings all services share (LOG_LEVEL, SHUTDOWN_TIMEOUT_S). */
  configMapName: string;
  /** Secret/key of `DATABASE_URL`, for the services that own a schema. */
  databaseUrl?: SecretRef;
  /** Service account of Dapr-enabled pods (its token lets the sidecar read `jwt-secret`, nothing else). */
  serviceAccountName: string;
}

export function selectorLabels(id: AppId): Record<string, string> {
  return { "app.kubernetes.io/name": id, "app.kubernetes.io/instance": `todo-${id}` };
}

/** The recommended `app.kubernetes.io/*` labels. */
export function appLabels(id: AppId, version?: string): Record<string, string> {
  return {
    ...selectorLabels(id),
    "app.kubernetes.io/component": id === "frontend" ? "web" : "service",
    "app.kubernetes.io/part-of": PART_OF,
    "app.kubernetes.io/managed-by": "pulumi",
    ...(version ? { "app.kubernetes.io/version": version } : {}),
  };
}

export function podLabels(app: AppDefinition, version: string): Record<string, string> {
  const exposed = Boolean(app.ingressPath || app.extraIngressPaths?.length);
  return {
    ...appLabels(app.id, version),
    ...(app.dapr ? { [DAPR_POD_LABEL]: "true" } : {}),
    ...(exposed ? { [INGRESS_POD_LABEL]: "true" } : {}),
  };
}

export function daprAnnotations(app: AppDefinition, sidecar: ResourceSpec): Record<string, string> {
  if (!app.dapr) return {};
  return {
    "dapr.io/enabled": "true",
    "dapr.io/app-id": app.id,
    "dapr.io/app-port": String(app.port),
    "dapr.io/config": DAPR_CONFIGURATION_NAME,
    "dapr.io/enable-metrics": "true",
    "dapr.io/metrics-port": String(DAPR_SIDECAR_PORTS.metrics),
    "dapr.io/log-as-json": "true",
    "dapr.io/sidecar-cpu-request": sidecar.requests.cpu,
    "dapr.io/sidecar-memory-request": sidecar.requests.memory,
    "dapr.io/sidecar-cpu-limit": sidecar.limits.cpu,
    "dapr.io/sidecar-memory-limit": sidecar.limits.memory,
    // The app drains for SHUTDOWN_TIMEOUT_S; the sidecar must outlive it so in-flight publishes finish.
    "dapr.io/graceful-shutdown-seconds": "15",
    // daprd pauses subscriptions, cron and job triggers while the app is unhealthy (see resources.ts).
    ...appHealthAnnotations(),
  };
}

const imageTag = (image: string) => image.slice(image.lastIndexOf(":") + 1);

/**
 * How long a public app keeps serving after its pod is told to stop. Kubernetes sends SIGTERM while the
 * pod's removal from the endpoints is still on its way to Traefik, which applies provider changes at
 * most every 2 s (traefik v3.5.3 `cmd/configuration.go`, providersThrottleDuration) and meanwhile sends
 * requests to the pod; a service that stopped listening at once would refuse them, and Traefik answers
 * those with 502. The preStop sleep runs before the SIGTERM; the grace period covers it, the drain
 * (SHUTDOWN_TIMEOUT_S) and the closers.
 */
export const ENDPOINT_REMOVAL_DELAY_S = 5;
/** How long a service drains its requests after SIGTERM (the services' SHUTDOWN_TIMEOUT_S). */
export const SHUTDOWN_TIMEOUT_S = 10;
export const TERMINATION_GRACE_PERIOD_S = 30;

/** Reached through the Ingress (topology's ingress paths), so Traefik may still route to a stopping pod. */
const isPublic = (app: AppDefinition) => app.ingressPath !== undefined || (app.extraIngressPaths?.length ?? 0) > 0;

export function deploymentManifest(o: WorkloadOptions) {
  const { app } = o;
  const version = imageTag(o.image);
  const env: k8s.types.input.core.v1.EnvVar[] = [
    { name: "PORT", value: String(app.port) },
    { name: "HOST", value: "0.0.0.0" },
  ];
  if (o.databaseUrl) env.push({ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: o.databaseUrl.name, key: o.databaseUrl.key } } });
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: "http" },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return {
    apiVersion: "apps/v1" as const,
    kind: "Deployment" as const,
    metadata: { name: app.id, namespace: o.namespace, labels: appLabels(app.id, version) },
    spec: {
      replicas: o.replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: selectorLabels(app.id) },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: podLabels(app, version), annotations: daprAnnotations(app, o.sidecar) },
        spec: {
          // Only the Dapr sidecar needs an API token (Kubernetes secret store); the frontend gets none.
          serviceAccountName: o.serviceAccountName,
          automountServiceAccountToken: app.dapr,
          terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_S,
          ...(o.imagePullSecrets.length ? { imagePullSecrets: o.imagePullSecrets.map((name) => ({ name })) } : {}),
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: app.id,
              image: o.image,
              imagePullPolicy: o.imagePullPolicy,
              ports: [{ name: "http", containerPort: app.port, protocol: "TCP" }],
              env,
              envFrom: [{ configMapRef: { name: o.configMapName } }],
              resources: o.resources,
              // Liveness only asks "is the process serving"; readiness also checks the DB and the sidecar.
              startupProbe: probe("/healthz", 2, 30),
              livenessProbe: probe("/healthz", 10, 3),
              readinessProbe: probe("/readyz", 5, 3),
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 1000,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              ...(isPublic(app) ? { lifecycle: { preStop: { sleep: { seconds: ENDPOINT_REMOVAL_DELAY_S } } } } : {}),
            },
          ],
          volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
        },
      },
    },
  };
}

export function serviceManifest(o: Pick<WorkloadOptions, "app" | "namespace">) {
  return {
    apiVersion: "v1" as const,
    kind: "Service" as const,
    metadata: { name: o.app.id, namespace: o.namespace, labels: appLabels(o.app.id) },
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(o.app.id),
      ports: [{ name: "http", port: o.app.port, targetPort: "http", protocol: "TCP" }],
    },
  };
}

export function hpaManifest(o: Pick<WorkloadOptions, "app" | "namespace" | "replicas">, maxReplicas: number, targetCpuPercent: number) {
  return {
    apiVersion: "autoscaling/v2" as const,
    kind: "HorizontalPodAutoscaler" as const,
    metadata: { name: o.app.id, namespace: o.namespace, labels: appLabels(o.app.id) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1" as const, kind: "Deployment" as const, name: o.app.id },
      minReplicas: o.replicas,
      maxReplicas: Math.max(maxReplicas, o.replicas),
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: targetCpuPercent } } }],
    },
  };
}

/** maxUnavailable 1 rather than minAvailable: a one-replica service must not block node drains. */
export function pdbManifest(o: Pick<WorkloadOptions, "app" | "namespace">) {
  return {
    apiVersion: "policy/v1" as const,
    kind: "PodDisruptionBudget" as const,
    metadata: { name: o.app.id, namespace: o.namespace, labels: appLabels(o.app.id) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(o.app.id) } },
  };
}
