import { fork } from "node:child_process";
import { join } from "node:path";

export interface MigrateOptions {
  databaseUrl: string;
  dir: string;
  schema: string;
  log?: (msg: string) => void;
}

const compiled = !__filename.endsWith(".ts");

/**
 * Applies a service's versioned migrations (node-pg-migrate) into the service's own schema, so the
 * services can share one PostgreSQL without sharing tables. Safe to run from several replicas at once
 * (node-pg-migrate takes an advisory lock; the others wait for it rather than fail, so replicas that start
 * together all come up). Runs in a short-lived child process (migrate-process.ts; under tsx it inherits
 * the `--import tsx` of this one): what node-pg-migrate loads is then given back when it exits.
 */
export function migrate(opts: MigrateOptions): Promise<void> {
  const { log, ...options } = opts;
  // In the environment, not the arguments: the URL may carry a password, and arguments are public (ps).
  const child = fork(join(__dirname, compiled ? "migrate-process.js" : "migrate-process.ts"), [], {
    env: { ...process.env, MIGRATE_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString();
  });
  child.on("message", (msg: { log?: string }) => {
    if (typeof msg.log === "string") log?.(msg.log);
  });
  return new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`migrations in ${opts.schema} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || "no message"}`));
    });
  });
}
