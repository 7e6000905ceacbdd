import { z } from "zod";
import { app } from "@todo/contracts/topology";
import { baseConfigSchema, databaseConfigSchema } from "../../shared/src/config";

export const backendConfigSchema = baseConfigSchema
  .extend({ PORT: z.coerce.number().int().min(0).max(65535).default(app("backend").port) })
  .extend(databaseConfigSchema.shape)
  .extend({
    /** How often the outbox relay looks for rows written by other replicas (its own writes kick it at once). */
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    /** Sent outbox rows are kept this long for diagnosis, then deleted. */
    OUTBOX_RETENTION_HOURS: z.coerce.number().positive().default(24),
    /** Tasks one user may hold (pending and completed); one more is a 403 `quota_exceeded`. */
    MAX_TASKS_PER_USER: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
    /**
     * Task writes (POST/PATCH/DELETE under /api/tasks) per user per minute; one more is a 429 with
     * Retry-After. Five a second for a whole minute: more than a person clicks, less than a script
     * that wants to keep the backend busy.
     */
    TASK_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(300),
    /**
     * Task writes of one user running at once per backend process (below DATABASE_POOL_MAX, so one
     * user's burst cannot hold the whole pool); more wait in that user's line, up to
     * TASK_WRITES_WAITING_PER_USER, then a 429 at once. The web page sends its writes one after another
     * (no parallel requests in services/frontend/web/src).
     */
    TASK_WRITES_RUNNING_PER_USER: z.coerce.number().int().min(1).max(1000).default(4),
    TASK_WRITES_WAITING_PER_USER: z.coerce.number().int().min(0).max(10_000).default(64),
    /** Failed logins per account, and per client address over all accounts, within AUTH_FAILURE_WINDOW_S; then 429. */
    AUTH_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(10),
    AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(100),
    AUTH_FAILURE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(900),
    /** Logins + signups per client address per minute (each costs a password hash). */
    AUTH_ATTEMPTS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    /** Password hashes running at once (libuv has 4 threads, shared with DNS, crypto and file I/O) and waiting. */
    PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(3).default(1),
    PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
  });

export type BackendConfig = z.infer<typeof backendConfigSchema>;
