import { join } from "node:path";
import { z } from "zod";
import { loadConfig } from "../../shared/src/config";
import { servicesRoot } from "./service-entry";

// `DATABASE_URL= npm start` means "not set", as in most tools.
const emptyAsUnset = (v: unknown) => (v === "" ? undefined : v);

/** `npm start`'s settings, from the environment (a bad value stops it naming the variable). */
export const runtimeConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface of the public port: loopback unless asked (`HOST=0.0.0.0` to reach it from the network). */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** `GET /metrics/<app-id>` of every service, on loopback only (never on the public port). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Use this PostgreSQL instead of the embedded one. */
  DATABASE_URL: z.preprocess(emptyAsUnset, z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional()),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Embedded PostgreSQL data and generated secrets; kept across runs. */
  DATA_DIR: z.string().min(1).default(join(servicesRoot, ".data")),
});
export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return loadConfig(runtimeConfigSchema, env);
}
