import { z } from "zod";
import { app } from "@todo/contracts/topology";
import { baseConfigSchema, databaseConfigSchema } from "../../shared/src/config";

export const eventProcessorConfigSchema = baseConfigSchema.extend({
  ...databaseConfigSchema.shape,
  PORT: z.coerce.number().int().min(0).max(65535).default(app("event-processor").port),
  /** Timeout of one service invocation of the backend; a slower answer is retried later. */
  BACKEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
});
export type EventProcessorConfig = z.infer<typeof eventProcessorConfigSchema>;

/** node-pg-migrate and the pool both work in the service's own schema (app-id with `-` → `_`). */
export const SCHEMA = "event_processor";
