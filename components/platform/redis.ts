import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ResourceSpec } from "../resource-spec";
import { commonLabels } from "@todo/contracts/labels";

/** Arguments of {@link Redis}. */
export interface RedisArgs {
  /** Namespace of the Deployment (the data namespace). */
  namespace: string;
  /** Pinned image, e.g. `redis:7.4.5-alpine`. */
  image: string;
  resources: ResourceSpec;
  /** Generated password (secret). */
  password: pulumi.Input<string>;
}

export const REDIS_NAME = "redis";
export const REDIS_PORT = 6379;
export const REDIS_PASSWORD_SECRET = "redis-password";

const labels = { "app.kubernetes.io/name": REDIS_NAME, ...commonLabels };
const selector = { "app.kubernetes.io/name": REDIS_NAME };

export function redisHost(namespace: string): string {
  return `${REDIS_NAME}.${namespace}.svc.cluster.local:${REDIS_PORT}`;
}

/** One Redis for Dapr's `pubsub.redis` (streams); append-only file on an emptyDir: a local broker only. */
export function redisDeployment(o: { namespace: string; image: string; resources: ResourceSpec }) {
  const ping = { exec: { command: ["sh", "-c", 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ping | grep -q PONG'] } };
  return {
    apiVersion: "apps/v1" as const,
    kind: "Deployment" as const,
    metadata: { name: REDIS_NAME, namespace: o.namespace, labels },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          // uid 999 is `redis` in the official image.
          securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "redis",
              image: o.image,
              command: ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD" --appendonly yes --dir /data --maxmemory-policy noeviction'],
              env: [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: REDIS_PASSWORD_SECRET, key: "password" } } }],
              ports: [{ name: "redis", containerPort: REDIS_PORT }],
              resources: o.resources,
              readinessProbe: { ...ping, periodSeconds: 5 },
              livenessProbe: { ...ping, periodSeconds: 15, failureThreshold: 4 },
              securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
          ],
          volumes: [{ name: "data", emptyDir: { sizeLimit: "512Mi" } }],
        },
      },
    },
  };
}

export function redisService(namespace: string) {
  return {
    apiVersion: "v1" as const,
    kind: "Service" as const,
    metadata: { name: REDIS_NAME, namespace, labels },
    spec: { selector, ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis" }] },
  };
}

/** The local pub/sub broker. */
export class Redis extends pulumi.ComponentResource {
  /** `host:port` for the Dapr component. */
  public readonly host: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:platform:Redis", name, {}, opts);
    const self = { parent: this };
    const ns = args.namespace;
    const secret = new k8s.core.v1.Secret(
      `${name}-password`,
      { metadata: { name: REDIS_PASSWORD_SECRET, namespace: ns, labels }, stringData: { password: pulumi.secret(args.password) } },
      self,
    );
    new k8s.core.v1.Service(`${name}-service`, redisService(ns), self);
    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      redisDeployment({ namespace: ns, image: args.image, resources: args.resources }),
      { ...self, dependsOn: [secret] },
    );
    this.host = pulumi.output(redisHost(ns));
    this.registerOutputs({ host: this.host });
  }
}
