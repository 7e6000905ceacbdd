import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { z } from "zod";
import { POSTGRES_CREDENTIALS_SECRET, POSTGRES_DATABASE, POSTGRES_NAME, POSTGRES_PORT, POSTGRES_USER, postgresHost } from "../platform/postgres";
import type { PostgresBackupArgs } from "./postgres-backup";

/** rclone, pinned (github.com/rclone/rclone v1.71.1 Dockerfile: Alpine with /bin/sh, entrypoint rclone). */
export const RCLONE_IMAGE = "rclone/rclone:1.71.1";

const defaults = { schedule: "17 3 * * *", bucketName: "todo-platform-backups", keepDaily: 7, keepWeekly: 4 };

/**
 * `todo-platform:backup` of the cloud stack (every key optional). The customer secret key is not here:
 * it is the two secrets `backupAccessKeyId` / `backupSecretKey` (stacks/config.ts SECRET_KEYS).
 */
export const backupSettingsSchema = z
  .object({
    /** Cron schedule, UTC. */
    schedule: z.string().regex(/^(\S+\s+){4}\S+$/, "expected a 5-field cron schedule").default(defaults.schedule),
    bucketName: z.string().regex(/^[A-Za-z0-9._-]{1,256}$/, "expected an Object Storage bucket name").default(defaults.bucketName),
    keepDaily: z.number().int().min(1).max(366).default(defaults.keepDaily),
    keepWeekly: z.number().int().min(1).max(520).default(defaults.keepWeekly),
  })
  .strict()
  .default(defaults);
export type BackupSettings = z.infer<typeof backupSettingsSchema>;

/** The backup of the cloud stack's in-cluster PostgreSQL: the stack's settings plus the platform's constants. */
export function cloudBackupArgs(o: {
  provider: k8s.Provider;
  compartmentId: string;
  objectStorageNamespace: string;
  region: string;
  postgresImage: string;
  dataNamespace: string;
  settings: BackupSettings;
  accessKeyId?: pulumi.Output<string>;
  secretKey?: pulumi.Output<string>;
}): PostgresBackupArgs {
  return {
    provider: o.provider,
    compartmentId: o.compartmentId,
    objectStorageNamespace: o.objectStorageNamespace,
    region: o.region,
    namespace: o.dataNamespace,
    postgres: {
      host: postgresHost(o.dataNamespace),
      port: POSTGRES_PORT,
      database: POSTGRES_DATABASE,
      user: POSTGRES_USER,
      passwordSecret: { name: POSTGRES_CREDENTIALS_SECRET, key: "POSTGRES_PASSWORD" },
      podLabels: { "app.kubernetes.io/name": POSTGRES_NAME },
    },
    images: { postgres: o.postgresImage, rclone: RCLONE_IMAGE },
    bucketName: o.settings.bucketName,
    schedule: o.settings.schedule,
    retention: { daily: o.settings.keepDaily, weekly: o.settings.keepWeekly, weeklyDay: 7 },
    credentials: o.accessKeyId && o.secretKey ? { accessKeyId: o.accessKeyId, secretAccessKey: o.secretKey } : undefined,
  };
}
