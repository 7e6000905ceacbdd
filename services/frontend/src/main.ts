import { join } from "node:path";
import { z } from "zod";
import { baseConfigSchema, createLogger, loadConfig, stopOnSignals } from "../../shared/src";
import { start } from "./frontend-service";

// From services/frontend/src (tsx) or services/dist/frontend/src (compiled), the build is in services/frontend/web-dist.
const defaultWebRoot = join(__dirname, __dirname.includes(`${join("dist", "frontend")}`) ? "../../../frontend/web-dist" : "../web-dist");

const config = loadConfig(
  baseConfigSchema.omit({ DAPR_HOST: true, DAPR_HTTP_PORT: true }).extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(3005),
    WEB_ROOT: z.string().default(defaultWebRoot),
  }),
);
const log = createLogger("frontend", config.LOG_LEVEL);
start(config).then(
  (service) => {
    log.info({ url: service.url }, "frontend listening");
    stopOnSignals(service, log);
  },
  (err) => {
    log.fatal({ err }, "frontend failed to start");
    process.exit(1);
  },
);
