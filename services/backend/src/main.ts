import { createLogger, loadConfig, stopOnSignals } from "../../shared/src";
import { backendConfigSchema } from "./config";
import { start } from "./backend-service";

async function main() {
  const log = createLogger("backend");
  try {
    const config = loadConfig(backendConfigSchema);
    stopOnSignals(await start(config), log);
  } catch (err) {
    log.fatal({ err: err instanceof Error ? err.message : String(err) }, "backend failed to start");
    process.exit(1);
  }
}

void main();
