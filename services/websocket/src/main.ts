import { createLogger, loadConfig, stopOnSignals } from "../../shared/src";
import { configSchema } from "./config";
import { start } from "./websocket-service";

const log = createLogger("websocket");

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const service = await start(config);
  log.info({ port: service.port }, "websocket listening");
  stopOnSignals(service, log);
}

main().catch((err: unknown) => {
  log.fatal({ err }, "websocket failed to start");
  process.exit(1);
});
