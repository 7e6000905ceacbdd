import { Router } from "express";
import { schemaOfTopic } from "@todo/contracts/events";
import { subscriptionHandler } from "../../../shared/src/dapr/subscription-handler";
import { subscriptions, type Topic } from "@todo/contracts/topology";
import type { Logger } from "../../../shared/src/telemetry/logger";
import type { SocketHub } from "../live/socket-hub";

export const CONSUMER = "websocket";

/**
 * One route per websocket subscription in topology.ts (task-events, reminders, notifications).
 *
 * Every replica must see every event, because a user's sockets may sit on any replica. These
 * subscriptions are marked `perReplica: true`, for which the Pulumi program gives the pub/sub component
 * `consumerID: "{podName}"`: each pod is its own consumer group instead of sharing one with its peers.
 *
 * Frames are best-effort: once handled the event is SUCCESS even when its user has no connection here
 * (RETRY would only replay to nobody); invalid events are DROPped by the subscription handler.
 */
export function eventRoutes(hub: SocketHub, log: Logger): Router {
  const router = Router();
  for (const s of subscriptions.filter((sub) => sub.appId === "websocket")) {
    router.post(s.route, subscriptionHandler({ consumer: CONSUMER, schema: schemaOfTopic[s.topic as Topic], log, handle: async (e) => hub.deliver(e) }));
  }
  return router;
}
