import { z } from "zod";
import { app, baseConfigSchema, databaseConfigSchema } from "../../shared/src";

export const backendConfigSchema = baseConfigSchema
  .extend({ PORT: z.coerce.number().int().min(0).max(65535).default(app("backend").port) })
  .extend(databaseConfigSchema.shape)
  .extend({
    /** How often the outbox relay looks for rows written by other replicas (its own writes kick it at once). */
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    /** Sent outbox rows are kept this long for diagnosis, then deleted. */
    OUTBOX_RETENTION_HOURS: z.coerce.number().positive().default(24),
  });

export type BackendConfig = z.infer<typeof backendConfigSchema>;
