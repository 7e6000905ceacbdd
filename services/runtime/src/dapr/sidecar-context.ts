import type { Logger } from "../../../shared/src/telemetry/logger";
import type { AppRegistry } from "./app-registry";
import type { CronBinding } from "./cron-bindings";
import type { SidecarFaults } from "./faults";
import type { JobScheduler } from "./jobs/job-scheduler";
import type { PubSubBroker } from "./pubsub/broker";
import type { SecretStore } from "./secret-store";
import type { StateStore } from "./state/state-store";

/** What one app's sidecar listener works with: its own app-id plus the building blocks all sidecars share. */
export interface SidecarContext {
  appId: string;
  apps: AppRegistry;
  broker: PubSubBroker;
  faults: SidecarFaults;
  state: StateStore;
  jobs: JobScheduler;
  secrets: SecretStore;
  cronBindings: readonly CronBinding[];
  log: Logger;
  /** False while the runtime shuts down: health answers 500 then. */
  healthy: () => boolean;
}
