import { Router } from "express";
import { PUBSUB_NAME, SECRETSTORE_NAME } from "@todo/contracts/topology";
import type { SidecarContext } from "../sidecar-context";

/** `/v1.0/healthz`, `/v1.0/healthz/outbound` (204 when up) and `/v1.0/metadata` in Dapr's shape. */
export function healthRoutes(ctx: SidecarContext): Router {
  const router = Router();
  const health = (_req: unknown, res: import("express").Response) => {
    res.status(ctx.healthy() ? 204 : 500).end();
  };
  router.get("/v1.0/healthz", health);
  router.get("/v1.0/healthz/outbound", health);
  router.get("/v1.0/metadata", (_req, res) => {
    const appUrl = ctx.apps.url(ctx.appId);
    res.json({
      id: ctx.appId,
      runtimeVersion: "local-sidecar (Dapr 1.18 HTTP API subset)",
      enabledFeatures: [],
      actors: [],
      components: [
        ...ctx.pubsubComponents.map((c) => ({ name: c.name, type: "pubsub.redis", version: "v1", capabilities: [] })),
        { name: SECRETSTORE_NAME, type: "secretstores.local.env", version: "v1", capabilities: [] },
        ...ctx.cronBindings.filter((b) => b.appId === ctx.appId).map((b) => ({ name: b.name, type: "bindings.cron", version: "v1", capabilities: [] })),
      ],
      subscriptions: ctx.broker.subscriptionsOf(ctx.appId).map((s) => ({
        pubsubname: s.pubsubName ?? PUBSUB_NAME,
        topic: s.topic,
        rules: { rules: [{ match: "", path: s.route }] },
        deadLetterTopic: s.deadLetterTopic ?? "",
        type: "DECLARATIVE",
      })),
      extended: {},
      appConnectionProperties: appUrl ? { port: Number(new URL(appUrl).port), protocol: "http", channelAddress: new URL(appUrl).hostname } : {},
    });
  });
  return router;
}
