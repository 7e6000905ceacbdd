import express, { Router } from "express";
import { PUBSUB_NAME } from "@todo/contracts/topology";
import { sendDaprError } from "../dapr-error";
import { CloudEventError, toCloudEvent } from "../pubsub/cloud-event";
import type { SidecarContext } from "../sidecar-context";

/**
 * `POST /v1.0/publish/<pubsub>/<topic>[?metadata.partitionKey=<key>]` → 204 once the broker holds the
 * event durably (its message store took it; 500 otherwise, as when Redis refuses the XADD). With the publish fault on, answers 500 like a sidecar whose broker is unreachable.
 */
export function publishRoutes(ctx: SidecarContext): Router {
  const router = Router();
  router.post("/v1.0/publish/:pubsub/:topic", express.raw({ type: () => true, limit: "4mb" }), async (req, res) => {
    const { pubsub, topic } = req.params as { pubsub: string; topic: string };
    if (pubsub !== PUBSUB_NAME) return sendDaprError(res, 404, "ERR_PUBSUB_NOT_FOUND", `pubsub ${pubsub} not found`);
    if (ctx.faults.publish === "fail") {
      return sendDaprError(res, 500, "ERR_PUBSUB_PUBLISH_MESSAGE", `error when publish to topic ${topic} in pubsub ${pubsub}: broker unavailable (fault injected)`);
    }
    const partitionKey = typeof req.query["metadata.partitionKey"] === "string" ? req.query["metadata.partitionKey"] : undefined;
    try {
      const event = toCloudEvent({
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        contentType: req.headers["content-type"],
        topic,
        pubsubName: pubsub,
        sourceAppId: ctx.appId,
        traceparent: typeof req.headers.traceparent === "string" ? req.headers.traceparent : undefined,
      });
      await ctx.broker.publish(topic, event, partitionKey);
    } catch (err) {
      if (err instanceof CloudEventError) return sendDaprError(res, 400, "ERR_PUBSUB_CLOUD_EVENTS_SER", err.message);
      return sendDaprError(res, 500, "ERR_PUBSUB_PUBLISH_MESSAGE", err instanceof Error ? err.message : String(err));
    }
    res.status(204).end();
  });
  return router;
}
