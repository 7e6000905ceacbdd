import { createLogger, loadConfig, stopOnSignals } from "../../shared/src";
import { notificationConfigSchema } from "./config";
import { APP_ID, start } from "./notification-service";

async function main(): Promise<void> {
  const config = loadConfig(notificationConfigSchema);
  const service = await start(config);
  stopOnSignals(service, createLogger(APP_ID, config.LOG_LEVEL));
}

main().catch((err: unknown) => {
  createLogger(APP_ID).fatal({ err }, "notification failed to start");
  process.exit(1);
});
