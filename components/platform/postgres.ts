import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ResourceSpec } from "../resource-spec";
import { commonLabels } from "@todo/contracts/labels";

/** Arguments of {@link Postgres}. */
export interface PostgresArgs {
  /** Namespace of the StatefulSet (the data namespace). */
  namespace: string;
  /** Pinned image, e.g. `postgres:17.6-alpine`. */
  image: string;
  /** Size of the data PVC. */
  storageSize: string;
  resources: ResourceSpec;
  /** Generated password of the `todo` role (secret). */
  password: pulumi.Input<string>;
}

export const POSTGRES_NAME = "postgres";
export const POSTGRES_PORT = 5432;
export const POSTGRES_USER = "todo";
export const POSTGRES_DATABASE = "todo";
export const POSTGRES_CREDENTIALS_SECRET = "postgres-credentials";

const labels = { "app.kubernetes.io/name": POSTGRES_NAME, ...commonLabels };
const selector = { "app.kubernetes.io/name": POSTGRES_NAME };

/** In-cluster DNS name of the database service. */
export function postgresHost(namespace: string): string {
  return `${POSTGRES_NAME}.${namespace}.svc.cluster.local`;
}

export function postgresUrl(namespace: string, password: string): string {
  return `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@${postgresHost(namespace)}:${POSTGRES_PORT}/${POSTGRES_DATABASE}`;
}

export function postgresStatefulSet(o: { namespace: string; image: string; storageSize: string; resources: ResourceSpec }) {
  const pgIsReady = { exec: { command: ["sh", "-c", `pg_isready -U ${POSTGRES_USER} -d ${POSTGRES_DATABASE} -h 127.0.0.1`] } };
  return {
    apiVersion: "apps/v1" as const,
    kind: "StatefulSet" as const,
    metadata: { name: POSTGRES_NAME, namespace: o.namespace, labels },
    spec: {
      serviceName: POSTGRES_NAME,
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          // uid 70 is `postgres` in the alpine image.
          securityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, fsGroup: 70, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "postgres",
              image: o.image,
              ports: [{ name: "postgres", containerPort: POSTGRES_PORT }],
              envFrom: [{ secretRef: { name: POSTGRES_CREDENTIALS_SECRET } }],
              env: [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
              resources: o.resources,
              readinessProbe: { ...pgIsReady, periodSeconds: 5 },
              livenessProbe: { ...pgIsReady, periodSeconds: 15, failureThreshold: 6, initialDelaySeconds: 30 },
              securityContext: {
                runAsNonRoot: true,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "data", mountPath: "/var/lib/postgresql/data" },
                { name: "run", mountPath: "/var/run/postgresql" },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "run", emptyDir: {} },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
      volumeClaimTemplates: [
        { metadata: { name: "data", labels }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: o.storageSize } } } },
      ],
    },
  };
}

export function postgresService(namespace: string) {
  return {
    apiVersion: "v1" as const,
    kind: "Service" as const,
    metadata: { name: POSTGRES_NAME, namespace, labels },
    spec: { selector, ports: [{ name: "postgres", port: POSTGRES_PORT, targetPort: "postgres" }] },
  };
}

/** PostgreSQL for the services' schemas and the Dapr state store: a StatefulSet with a PVC. */
export class Postgres extends pulumi.ComponentResource {
  /** `host` of the service, in-cluster. */
  public readonly host: pulumi.Output<string>;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:platform:Postgres", name, {}, opts);
    const self = { parent: this };
    const ns = args.namespace;
    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: POSTGRES_CREDENTIALS_SECRET, namespace: ns, labels },
        stringData: { POSTGRES_USER, POSTGRES_DB: POSTGRES_DATABASE, POSTGRES_PASSWORD: pulumi.secret(args.password) },
      },
      self,
    );
    const service = new k8s.core.v1.Service(`${name}-service`, postgresService(ns), self);
    new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      postgresStatefulSet({ namespace: ns, image: args.image, storageSize: args.storageSize, resources: args.resources }),
      { ...self, dependsOn: [credentials, service] },
    );
    this.host = pulumi.output(postgresHost(ns));
    this.registerOutputs({ host: this.host });
  }
}
