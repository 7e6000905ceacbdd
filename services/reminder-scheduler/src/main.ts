import { createLogger, loadConfig, stopOnSignals } from "../../shared/src";
import { configSchema } from "./config";
import { start } from "./reminder-scheduler-service";

const log = createLogger("reminder-scheduler");

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const service = await start(config);
  log.info({ port: service.port }, "reminder-scheduler listening");
  stopOnSignals(service, log);
}

main().catch((err: unknown) => {
  log.fatal({ err }, "reminder-scheduler failed to start");
  process.exit(1);
});
