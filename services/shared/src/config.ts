import { z } from "zod";

/**
 * Parses a service's environment with one zod schema. A bad value stops the process with the name of
 * the variable, not a stack trace from deep inside the service.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`)
      .join("; ");
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return result.data;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Settings every service shares: where it listens and where its Dapr sidecar is. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().default("0.0.0.0"),
  DAPR_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3500),
  DAPR_HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Seconds to drain in-flight requests on SIGTERM before closing anyway. */
  SHUTDOWN_TIMEOUT_S: z.coerce.number().positive().default(10),
});

export const databaseConfigSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
});
