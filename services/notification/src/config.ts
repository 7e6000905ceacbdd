import { z } from "zod";
import { app } from "@todo/contracts/topology";
import { baseConfigSchema, databaseConfigSchema } from "../../shared/src/config";

export const notificationConfigSchema = baseConfigSchema.extend({
  ...databaseConfigSchema.shape,
  PORT: z.coerce.number().int().min(0).max(65535).default(app("notification").port),
  /** Optional: every new notification is also POSTed here as JSON (best effort, never blocks in-app). */
  NOTIFICATION_WEBHOOK_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  NOTIFICATION_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
});
export type NotificationConfig = z.infer<typeof notificationConfigSchema>;

/** node-pg-migrate and the pool both work in the service's own schema. */
export const SCHEMA = "notification";
