import { Router } from "express";
import { SECRETSTORE_NAME } from "@todo/contracts/topology";
import { sendDaprError } from "../dapr-error";
import type { SidecarContext } from "../sidecar-context";

/** `GET /v1.0/secrets/<store>/<name>` → `{"<name>": value}`; names outside the allow-list → 403. */
export function secretsRoutes(ctx: SidecarContext): Router {
  const router = Router();
  router.use("/v1.0/secrets/:store", (req, res, next) => {
    if (req.params.store !== SECRETSTORE_NAME) return sendDaprError(res, 401, "ERR_SECRET_STORE_NOT_FOUND", `failed finding secret store with key ${req.params.store}`);
    next();
  });
  router.get("/v1.0/secrets/:store/bulk", (_req, res) => {
    res.json(ctx.secrets.readAll());
  });
  router.get("/v1.0/secrets/:store/:name", (req, res) => {
    const name = req.params.name!;
    const lookup = ctx.secrets.read(name);
    if (lookup.found) return void res.json({ [name]: lookup.value });
    if (lookup.reason === "not-allowed") return sendDaprError(res, 403, "ERR_PERMISSION_DENIED", `access denied by policy to get ${name} from ${SECRETSTORE_NAME}`);
    sendDaprError(res, 404, "ERR_SECRET_GET", `secret ${name} not found (set the environment variable for it)`);
  });
  return router;
}
