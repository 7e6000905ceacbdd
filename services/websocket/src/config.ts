import { z } from "zod";
import { app, baseConfigSchema } from "../../shared/src";

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(app("websocket").port),
  /** Ping period; a peer silent for a whole period is terminated. */
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
  /** Unsent bytes a connection may queue before it is closed as too slow (default 1 MiB). */
  MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Event ids remembered to suppress a redelivered frame. */
  RECENT_EVENT_IDS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
});
export type WebsocketConfig = z.infer<typeof configSchema>;
