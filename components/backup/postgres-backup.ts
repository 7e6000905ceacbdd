import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { Bucket } from "@pulumi/oci/objectstorage";
import { renderBackupScript, backupScriptProblems } from "./backup-script";
import { BACKUP_NAME, BACKUP_SCRIPT_KEY, backupCronJob, backupNetworkPolicy, objectStorageS3Endpoint } from "./backup-manifests";

/** Arguments of {@link PostgresBackup}. */
export interface PostgresBackupArgs {
  /** Kubernetes provider of the cluster the database runs in. */
  provider: k8s.Provider;
  /** OCI compartment of the bucket. */
  compartmentId: string;
  /** The tenancy's Object Storage namespace (the same string OCIR uses). */
  objectStorageNamespace: string;
  /** OCI region of the bucket and its S3-compatible endpoint, e.g. `eu-frankfurt-1`. */
  region: string;
  /** Namespace of PostgreSQL: the job runs beside it. */
  namespace: string;
  postgres: { host: string; port: number; database: string; user: string; passwordSecret: { name: string; key: string }; podLabels: Record<string, string> };
  /** Pinned images: the server's own PostgreSQL image (so pg_dump matches it) and rclone. */
  images: { postgres: string; rclone: string };
  /** Bucket name; default `todo-platform-backups`. */
  bucketName?: string;
  /** Cron schedule in UTC; default daily at 03:17. */
  schedule?: string;
  /** Copies kept; default 7 daily, 4 weekly (Sunday's). */
  retention?: { daily: number; weekly: number; weeklyDay: number };
  /** Scratch space of a run, at least the database volume; default 2Gi. */
  scratchSize?: string;
  /**
   * An OCI customer secret key (S3-compatible access key and secret) of a user allowed to manage
   * objects in the bucket. Undefined: the Secret is not created here and the job waits for one named
   * `postgres-backup-credentials` (docs/RUNBOOKS.md "Backups and restore").
   */
  credentials?: { accessKeyId: pulumi.Input<string>; secretAccessKey: pulumi.Input<string> };
}

export const BACKUP_CREDENTIALS_SECRET = `${BACKUP_NAME}-credentials`;

/**
 * Nightly logical backups of the in-cluster PostgreSQL into an OCI Object Storage bucket (Always
 * Free: 20 GB), with daily and weekly retention; the CronJob, its script, credentials and egress policy.
 */
export class PostgresBackup extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: PostgresBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo:backup:PostgresBackup", name, {}, opts);
    const retention = args.retention ?? { daily: 7, weekly: 4, weeklyDay: 7 };
    const bucket = args.bucketName ?? "todo-platform-backups";
    const problems = backupScriptProblems({ bucket, keepDaily: retention.daily, keepWeekly: retention.weekly, weeklyDay: retention.weeklyDay });
    if (problems.length) throw new pulumi.ResourceError(`PostgresBackup: ${problems.join("; ")}`, this);
    const self = { parent: this, provider: args.provider };

    const storage = new Bucket(
      `${name}-bucket`,
      { compartmentId: args.compartmentId, namespace: args.objectStorageNamespace, name: bucket, accessType: "NoPublicAccess", storageTier: "Standard", versioning: "Disabled" },
      // A `pulumi destroy` (the accident this protects against) must not take the backups with it.
      { parent: this, retainOnDelete: true },
    );
    const credentials = args.credentials
      ? [
          new k8s.core.v1.Secret(
            `${name}-credentials`,
            {
              metadata: { name: BACKUP_CREDENTIALS_SECRET, namespace: args.namespace, labels: { "app.kubernetes.io/name": BACKUP_NAME } },
              stringData: { accessKeyId: pulumi.secret(args.credentials.accessKeyId), secretAccessKey: pulumi.secret(args.credentials.secretAccessKey) },
            },
            self,
          ),
        ]
      : [];
    const script = new k8s.core.v1.ConfigMap(
      `${name}-script`,
      {
        metadata: { name: `${BACKUP_NAME}-script`, namespace: args.namespace, labels: { "app.kubernetes.io/name": BACKUP_NAME } },
        data: { [BACKUP_SCRIPT_KEY]: renderBackupScript({ bucket, keepDaily: retention.daily, keepWeekly: retention.weekly, weeklyDay: retention.weeklyDay }) },
      },
      self,
    );
    new k8s.networking.v1.NetworkPolicy(`${name}-egress`, backupNetworkPolicy({ namespace: args.namespace, postgresPort: args.postgres.port, postgresPodLabels: args.postgres.podLabels }), self);
    new k8s.batch.v1.CronJob(
      `${name}-cronjob`,
      backupCronJob({
        namespace: args.namespace,
        schedule: args.schedule ?? "17 3 * * *",
        images: args.images,
        postgres: args.postgres,
        s3: { endpoint: objectStorageS3Endpoint(args.objectStorageNamespace, args.region), region: args.region, credentialsSecret: BACKUP_CREDENTIALS_SECRET },
        scriptConfigMap: `${BACKUP_NAME}-script`,
        scratchSize: args.scratchSize ?? "2Gi",
      }),
      { ...self, dependsOn: [script, storage, ...credentials] },
    );
    this.bucketName = storage.name;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
