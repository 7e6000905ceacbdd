import express, { type ErrorRequestHandler, type Express } from "express";
import { sendDaprError } from "./dapr-error";
import { healthRoutes } from "./routes/health-routes";
import { invokeRoutes } from "./routes/invoke-routes";
import { jobsRoutes } from "./routes/jobs-routes";
import { publishRoutes } from "./routes/publish-routes";
import { secretsRoutes } from "./routes/secrets-routes";
import type { SidecarContext } from "./sidecar-context";

/** The HTTP API one app's sidecar serves (its `DAPR_HTTP_PORT`). */
export function createSidecarApp(ctx: SidecarContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag"); // ETags on this API are the state store's, never Express's
  app.use(invokeRoutes(ctx));
  app.use(healthRoutes(ctx));
  app.use(publishRoutes(ctx));
  app.use(secretsRoutes(ctx));
  app.use(jobsRoutes(ctx));
  app.use((req, res) => sendDaprError(res, 404, "ERR_NOT_FOUND", `the local sidecar does not implement ${req.method} ${req.path}`));
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (res.headersSent) return;
    const status = typeof err?.status === "number" && err.status < 500 ? err.status : 500;
    if (status === 500) ctx.log.error({ err }, "sidecar request failed");
    sendDaprError(res, status, status === 500 ? "ERR_INTERNAL" : "ERR_MALFORMED_REQUEST", err instanceof Error ? err.message : String(err));
  };
  app.use(onError);
  return app;
}
