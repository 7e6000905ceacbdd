import { join } from "node:path";
import { z } from "zod";
import { app } from "@todo/contracts/topology";
import { baseConfigSchema } from "../../shared/src/config";

// From services/frontend/src (tsx) or services/dist/frontend/src (compiled), the build is in services/frontend/web-dist.
const defaultWebRoot = join(__dirname, __dirname.includes(`${join("dist", "frontend")}`) ? "../../../frontend/web-dist" : "../web-dist");

/** The frontend has no sidecar (topology.ts: dapr false), so no DAPR_* settings. */
export const frontendConfigSchema = baseConfigSchema.omit({ DAPR_HOST: true, DAPR_HTTP_PORT: true }).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(app("frontend").port),
  /** The Vite build output (index.html + hashed assets). */
  WEB_ROOT: z.string().default(defaultWebRoot),
});
export type FrontendConfig = z.infer<typeof frontendConfigSchema>;
