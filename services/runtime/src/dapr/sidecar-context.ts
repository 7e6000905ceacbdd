import type { Logger } from "../../../shared/src/telemetry/logger";
import type { AppRegistry } from "./app-registry";
import type { CronBinding } from "./cron-bindings";
import type { SidecarFaults } from "./faults";
import type { JobScheduler } from "./jobs/job-scheduler";
import type { PubSubBroker } from "./pubsub/broker";
import type { PubSubComponentSettings } from "./pubsub/pubsub-definitions";
import type { Resiliency } from "./resiliency/resiliency";
import type { SecretStore } from "./secret-store";

/** What one app's sidecar listener works with: its own app-id plus the building blocks all sidecars share. */
export interface SidecarContext {
  appId: string;
  apps: AppRegistry;
  broker: PubSubBroker;
  faults: SidecarFaults;
  resiliency: Resiliency;
  pubsubComponents: readonly PubSubComponentSettings[];
  jobs: JobScheduler;
  secrets: SecretStore;
  cronBindings: readonly CronBinding[];
  log: Logger;
  /** False while the runtime shuts down: health answers 500 then. */
  healthy: () => boolean;
}
