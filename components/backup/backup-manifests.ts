import type * as k8s from "@pulumi/kubernetes";
import { commonLabels } from "@todo/contracts/labels";

/** Requests and limits of one container. */
export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export const BACKUP_NAME = "postgres-backup";
export const BACKUP_SCRIPT_KEY = "postgres-backup.sh";
/** rclone remote name; its settings are the RCLONE_CONFIG_OCI_* variables (rclone docs/content/docs.md, v1.71.1, "Config file" → environment). */
export const RCLONE_REMOTE = "oci";

const labels = { "app.kubernetes.io/name": BACKUP_NAME, ...commonLabels };
const podSelector = { matchLabels: { "app.kubernetes.io/name": BACKUP_NAME } };

/** The dump holds at most the database, whose volume is this size; the job's scratch space is capped there. */
export const DUMP_RESOURCES: ContainerResources = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
export const UPLOAD_RESOURCES: ContainerResources = { requests: { cpu: "20m", memory: "48Mi" }, limits: { cpu: "300m", memory: "128Mi" } };

/** OCI Object Storage's S3-compatible endpoint (docs.oracle.com, "Amazon S3 Compatibility API"). */
export function objectStorageS3Endpoint(objectStorageNamespace: string, region: string): string {
  return `https://${objectStorageNamespace}.compat.objectstorage.${region}.oraclecloud.com`;
}

export interface BackupCronJobOptions {
  namespace: string;
  schedule: string;
  images: { postgres: string; rclone: string };
  postgres: { host: string; port: number; database: string; user: string; passwordSecret: { name: string; key: string } };
  s3: { endpoint: string; region: string; credentialsSecret: string };
  scriptConfigMap: string;
  /** emptyDir limit for the dump (≥ the database volume). */
  scratchSize: string;
}

const hardened = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };

/**
 * The CronJob: an init container dumps with the server's own image (pg_dump matches the server), the
 * container uploads with rclone and applies the retention. Non-root, read-only root filesystems, no
 * service account token, one run at a time, a deadline, and the last run of each outcome kept for the
 * alerts (kube-state-metrics reads their status).
 */
export function backupCronJob(o: BackupCronJobOptions) {
  const script = (step: "dump" | "upload") => ["/bin/sh", `/scripts/${BACKUP_SCRIPT_KEY}`, step];
  const mounts = [
    { name: "backup", mountPath: "/backup" },
    { name: "scripts", mountPath: "/scripts", readOnly: true },
    { name: "tmp", mountPath: "/tmp" },
  ];
  const credential = (key: string) => ({ secretKeyRef: { name: o.s3.credentialsSecret, key } });
  return {
    apiVersion: "batch/v1" as const,
    kind: "CronJob" as const,
    metadata: { name: BACKUP_NAME, namespace: o.namespace, labels },
    spec: {
      schedule: o.schedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 3600,
          // A failed run stays visible (and alerting) for a day, then the next run decides.
          ttlSecondsAfterFinished: 86_400,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: "Never",
              automountServiceAccountToken: false,
              // uid 70 is `postgres` in the alpine image; rclone runs as any user.
              securityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, fsGroup: 70, seccompProfile: { type: "RuntimeDefault" } },
              initContainers: [
                {
                  name: "dump",
                  image: o.images.postgres,
                  command: script("dump"),
                  env: [
                    { name: "PGHOST", value: o.postgres.host },
                    { name: "PGPORT", value: String(o.postgres.port) },
                    { name: "PGDATABASE", value: o.postgres.database },
                    { name: "PGUSER", value: o.postgres.user },
                    { name: "PGPASSWORD", valueFrom: { secretKeyRef: o.postgres.passwordSecret } },
                  ],
                  resources: DUMP_RESOURCES,
                  securityContext: hardened,
                  volumeMounts: mounts,
                },
              ],
              containers: [
                {
                  name: "upload",
                  image: o.images.rclone,
                  command: script("upload"),
                  env: [
                    { name: "HOME", value: "/tmp" },
                    { name: "RCLONE_CONFIG", value: "/tmp/rclone.conf" },
                    { name: `RCLONE_CONFIG_${RCLONE_REMOTE.toUpperCase()}_TYPE`, value: "s3" },
                    { name: `RCLONE_CONFIG_${RCLONE_REMOTE.toUpperCase()}_PROVIDER`, value: "Other" },
                    { name: `RCLONE_CONFIG_${RCLONE_REMOTE.toUpperCase()}_ENDPOINT`, value: o.s3.endpoint },
                    { name: `RCLONE_CONFIG_${RCLONE_REMOTE.toUpperCase()}_REGION`, value: o.s3.region },
                    // OCI's S3 compatibility API takes path-style requests.
                    { name: `RCLONE_CONFIG_${RCLONE_REMOTE.toUpperCase()}_FORCE_PATH_STYLE`, value: "true" },
                    { name: `RCLONE_CONFIG_${RCLONE_REMOTE.toUpperCase()}_ACCESS_KEY_ID`, valueFrom: credential("accessKeyId") },
                    { name: `RCLONE_CONFIG_${RCLONE_REMOTE.toUpperCase()}_SECRET_ACCESS_KEY`, valueFrom: credential("secretAccessKey") },
                  ],
                  resources: UPLOAD_RESOURCES,
                  securityContext: hardened,
                  volumeMounts: mounts,
                },
              ],
              volumes: [
                { name: "backup", emptyDir: { sizeLimit: o.scratchSize } },
                { name: "scripts", configMap: { name: o.scriptConfigMap } },
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
              ],
            },
          },
        },
      },
    },
  };
}

/** Private address space: the object storage endpoint is a public address, the cluster's are not. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];

/**
 * The backup pods talk to PostgreSQL, DNS, and HTTPS on public addresses only (the object storage
 * endpoint: NetworkPolicy has no host names, and Oracle's ranges change — so public 443, never the
 * node's metadata service or anything in the cluster). Nothing may connect to them.
 */
export function backupNetworkPolicy(o: { namespace: string; postgresPort: number; postgresPodLabels: Record<string, string> }) {
  const spec: k8s.types.input.networking.v1.NetworkPolicySpec = {
    podSelector,
    policyTypes: ["Ingress", "Egress"],
    ingress: [],
    egress: [
      { to: [{ podSelector: { matchLabels: o.postgresPodLabels } }], ports: [{ protocol: "TCP", port: o.postgresPort }] },
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } }], ports: [{ protocol: "TCP", port: 443 }] },
    ],
  };
  return { apiVersion: "networking.k8s.io/v1" as const, kind: "NetworkPolicy" as const, metadata: { name: `${BACKUP_NAME}-egress`, namespace: o.namespace, labels }, spec };
}
