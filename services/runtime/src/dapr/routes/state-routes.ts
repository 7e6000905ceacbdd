import express, { Router } from "express";
import { z } from "zod";
import { STATESTORE_NAME } from "../../../../shared/src/topology";
import { sendDaprError } from "../dapr-error";
import type { SidecarContext } from "../sidecar-context";
import { EtagMismatchError } from "../state/state-store";

const SaveRequest = z.array(
  z.object({
    key: z.string().min(1).refine((k) => !k.includes("||"), "a key must not contain ||"),
    value: z.unknown(),
    etag: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    options: z
      .object({ concurrency: z.enum(["first-write", "last-write"]).optional(), consistency: z.enum(["eventual", "strong"]).optional() })
      .optional(),
  }),
);
const BulkGetRequest = z.object({ keys: z.array(z.string().min(1)) });

/** `POST/GET/DELETE /v1.0/state/<store>[/<key>]` with ETags (mismatch → 409), plus bulk get. */
export function stateRoutes(ctx: SidecarContext): Router {
  const router = Router();
  const json = express.json({ type: () => true, limit: "4mb" });
  router.use("/v1.0/state/:store", (req, res, next) => {
    if (req.params.store !== STATESTORE_NAME) return sendDaprError(res, 400, "ERR_STATE_STORE_NOT_FOUND", `state store ${req.params.store} is not found`);
    next();
  });
  router.post("/v1.0/state/:store", json, (req, res) => {
    const parsed = SaveRequest.safeParse(req.body);
    if (!parsed.success) return sendDaprError(res, 400, "ERR_MALFORMED_REQUEST", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    try {
      ctx.state.save(ctx.appId, parsed.data.map((w) => ({ key: w.key, value: w.value, etag: w.etag, options: w.options })));
    } catch (err) {
      if (err instanceof EtagMismatchError) return sendDaprError(res, 409, "ERR_STATE_SAVE", err.message);
      throw err;
    }
    res.status(204).end();
  });
  router.post("/v1.0/state/:store/bulk", json, (req, res) => {
    const parsed = BulkGetRequest.safeParse(req.body);
    if (!parsed.success) return sendDaprError(res, 400, "ERR_MALFORMED_REQUEST", "body must be {keys: string[]}");
    res.json(
      parsed.data.keys.map((key) => {
        const item = ctx.state.get(ctx.appId, key);
        return item ? { key, data: item.value, etag: item.etag } : { key };
      }),
    );
  });
  router.get("/v1.0/state/:store/:key", (req, res) => {
    const item = ctx.state.get(ctx.appId, req.params.key!);
    if (!item) return void res.status(204).end();
    res.setHeader("ETag", item.etag);
    res.type("application/json").send(JSON.stringify(item.value));
  });
  router.delete("/v1.0/state/:store/:key", (req, res) => {
    const ifMatch = req.headers["if-match"];
    try {
      ctx.state.delete(ctx.appId, req.params.key!, typeof ifMatch === "string" ? ifMatch.replace(/^"|"$/g, "") : undefined);
    } catch (err) {
      if (err instanceof EtagMismatchError) return sendDaprError(res, 409, "ERR_STATE_DELETE", err.message);
      throw err;
    }
    res.status(204).end();
  });
  return router;
}
