import { createLogger, loadConfig, stopOnSignals } from "../../shared/src";
import { eventProcessorConfigSchema } from "./config";
import { APP_ID, start } from "./event-processor-service";

async function main(): Promise<void> {
  const config = loadConfig(eventProcessorConfigSchema);
  const service = await start(config);
  stopOnSignals(service, createLogger(APP_ID, config.LOG_LEVEL));
}

main().catch((err: unknown) => {
  createLogger(APP_ID).fatal({ err }, "event-processor failed to start");
  process.exit(1);
});
