import { z } from "zod";
import { app } from "@todo/contracts/topology";
import { baseConfigSchema } from "../../shared/src/config";

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(app("websocket").port),
  /** Ping period; a peer silent for a whole period is terminated. */
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
  /** Unsent bytes a connection may queue before it is closed as too slow (default 1 MiB). */
  MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Event ids remembered to suppress a redelivered frame. */
  RECENT_EVENT_IDS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Catch-up window (`/ws?lastEventId=`): frames kept per user on this replica. */
  REPLAY_PER_USER: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Catch-up window: frames older than this are not replayed (a reconnect then refetches). */
  REPLAY_MAX_AGE_MS: z.coerce.number().int().min(1000).max(24 * 3_600_000).default(15 * 60_000),
  /** Catch-up window: frames kept for all users together. */
  REPLAY_MAX_FRAMES: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  /** Catch-up window: payload bytes kept for all users together (default 16 MiB). */
  REPLAY_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Frames that arrived this long before the last seen one are replayed too (replicas differ in order). */
  REPLAY_REORDER_MARGIN_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** Open sockets per user on one replica (a few tabs and devices); one more is closed with code 4029. */
  MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Messages per minute a client may send on one socket (the web page sends none); more: closed with 1008. */
  MAX_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
});
export type WebsocketConfig = z.infer<typeof configSchema>;
