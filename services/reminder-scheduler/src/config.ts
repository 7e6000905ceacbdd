import { z } from "zod";
import { app } from "@todo/contracts/topology";
import { baseConfigSchema, databaseConfigSchema } from "../../shared/src/config";

export const configSchema = baseConfigSchema.extend(databaseConfigSchema.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(app("reminder-scheduler").port),
  /** Reminders the sweep re-arms per cron tick (per replica); the rest wait for the next tick. */
  SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ReminderSchedulerConfig = z.infer<typeof configSchema>;
