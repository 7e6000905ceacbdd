import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JWT_SECRET_NAME } from "../../../shared/src/auth/tokens";
import { createLogger, type Logger } from "../../../shared/src/telemetry/logger";
import { cronBindings as topologyCronBindings } from "@todo/contracts/topology";
import { appHealthAnnotations, localDaprResources, type DaprObject } from "@todo/contracts/dapr-resources";
import { AppRegistry } from "./app-registry";
import { CronBindings, type CronBinding } from "./cron-bindings";
import { SidecarFaults } from "./faults";
import { AppHealth, healthSettingsFrom, type AppHealthSettings } from "./health/app-health";
import { JobScheduler, type JobFailurePolicy } from "./jobs/job-scheduler";
import { PubSubBroker, type BrokerSubscription } from "./pubsub/broker";
import type { MessageStore } from "./pubsub/message-store";
import { pubsubComponentsFrom, subscriptionsFrom, type PubSubComponentSettings } from "./pubsub/pubsub-definitions";
import type { BackoffConstants } from "./resiliency/backoff";
import { Resiliency } from "./resiliency/resiliency";
import { SecretStore } from "./secret-store";
import { createSidecarApp } from "./sidecar-app";

export interface LocalDaprOptions {
  /**
   * The Dapr resources the sidecars obey — Resiliency, pub/sub Components, Subscriptions. Default:
   * `localDaprResources()`, the objects the Pulumi program deploys to the local (Redis) stack.
   */
  resources?: readonly DaprObject[];
  /** Default: the Subscriptions in `resources`. */
  subscriptions?: readonly BrokerSubscription[];
  /** Default: `cronBindings` from topology.ts. */
  cronBindings?: readonly CronBinding[];
  /** Default: the `dapr.io/*app-health*` annotations every Dapr pod carries (`appHealthAnnotations()`). */
  appHealth?: AppHealthSettings | null;
  /** Default: daprd's 500 ms × 1.5 ± 50 %. Tests shrink it; nothing else should. */
  backoff?: BackoffConstants;
  /** The scheduler's default failure policy (3 × 1 s). Tests shrink it. */
  jobFailurePolicy?: JobFailurePolicy;
  /** Where accepted, undelivered events are kept (default: memory; `npm start`: its PostgreSQL). */
  messageStore?: MessageStore;
  /** Secret names the store may serve (default: the JWT secret). */
  allowedSecrets?: readonly string[];
  /** Where secrets are read from (default: process.env). */
  env?: Record<string, string | undefined>;
  log?: Logger;
}

export interface SidecarListener {
  appId: string;
  port: number;
  url: string;
}

/**
 * The local Dapr: one HTTP listener per app-id (each app has its own `DAPR_HTTP_PORT`, like a sidecar
 * per pod) over one shared in-process broker, state store, job scheduler and secret store.
 */
export class LocalDapr {
  readonly faults = new SidecarFaults();
  readonly apps = new AppRegistry();
  readonly health = new AppHealth(this.apps);
  readonly resiliency: Resiliency;
  readonly pubsubComponents: readonly PubSubComponentSettings[];
  readonly broker: PubSubBroker;
  readonly jobs: JobScheduler;
  readonly secrets: SecretStore;
  readonly cron: CronBindings;
  readonly log: Logger;
  readonly #cronBindings: readonly CronBinding[];
  readonly #appHealth: AppHealthSettings | undefined;
  readonly #listeners = new Map<string, { server: Server; listener: SidecarListener }>();
  #healthy = true;

  constructor(opts: LocalDaprOptions = {}) {
    this.log = opts.log ?? createLogger("dapr-sidecar");
    const resources = opts.resources ?? localDaprResources();
    const resiliency = resources.find((r) => r.kind === "Resiliency");
    this.resiliency = new Resiliency(resiliency?.spec ?? { policies: {}, targets: {} }, opts.backoff);
    this.pubsubComponents = pubsubComponentsFrom(resources);
    this.#appHealth = opts.appHealth === null ? undefined : (opts.appHealth ?? healthSettingsFrom(appHealthAnnotations()));
    this.broker = new PubSubBroker({
      apps: this.apps,
      faults: this.faults,
      health: this.health,
      resiliency: this.resiliency,
      subscriptions: opts.subscriptions ?? subscriptionsFrom(resources),
      components: this.pubsubComponents,
      store: opts.messageStore,
      log: this.log,
    });
    this.jobs = new JobScheduler({ apps: this.apps, health: this.health, log: this.log, defaultFailurePolicy: opts.jobFailurePolicy });
    this.secrets = new SecretStore(opts.allowedSecrets ?? [JWT_SECRET_NAME], opts.env ?? process.env);
    this.cron = new CronBindings({ apps: this.apps, health: this.health, log: this.log });
    this.#cronBindings = opts.cronBindings ?? topologyCronBindings;
  }

  /** Dead-lettered events (recorded whether or not a dead-letter topic took them). */
  get deadLetters() {
    return this.broker.deadLetters;
  }

  get counters() {
    return this.broker.counters;
  }

  /**
   * Starts the sidecar of `appId` on a free port and registers where the app listens. The app's
   * subscriptions receive events from now on and its cron bindings start ticking.
   */
  async addApp(appId: string, appUrl: string): Promise<SidecarListener> {
    if (this.#listeners.has(appId)) throw new Error(`app ${appId} already has a sidecar`);
    this.apps.set(appId, appUrl);
    // Like daprd with the health check on: nothing is delivered until the app's first probe passes.
    this.health.watch(appId, this.#appHealth);
    const app = createSidecarApp({
      appId,
      apps: this.apps,
      broker: this.broker,
      faults: this.faults,
      resiliency: this.resiliency,
      pubsubComponents: this.pubsubComponents,
      jobs: this.jobs,
      secrets: this.secrets,
      cronBindings: this.#cronBindings,
      log: this.log,
      healthy: () => this.#healthy,
    });
    const server = createServer(app);
    // daprd keeps an app's idle connections to its API open: its http.Server sets ReadHeaderTimeout
    // only, and Go has no idle timeout without IdleTimeout or ReadTimeout (dapr v1.18.3
    // pkg/api/http/server.go). Node's default would close them after 5 s, and a publish sent at that
    // moment fails; 0 turns that off, as daprd.
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const listener = { appId, port, url: `http://127.0.0.1:${port}` };
    this.#listeners.set(appId, { server, listener });
    for (const binding of this.#cronBindings.filter((b) => b.appId === appId)) this.cron.start(binding);
    return listener;
  }

  /** A subscriber that is not in topology.ts (tests register one to watch a topic). */
  addSubscription(sub: BrokerSubscription): void {
    this.broker.addSubscription(sub);
  }

  /** Registers an app without a sidecar of its own: it can receive deliveries and invocations. */
  registerApp(appId: string, appUrl: string): void {
    this.apps.set(appId, appUrl);
  }

  sidecar(appId: string): SidecarListener | undefined {
    return this.#listeners.get(appId)?.listener;
  }

  sidecars(): SidecarListener[] {
    return [...this.#listeners.values()].map((l) => l.listener);
  }

  /** Resolves once no delivery is queued or running. */
  idle(): Promise<void> {
    return this.broker.idle();
  }

  async stop(): Promise<void> {
    this.#healthy = false;
    this.cron.stop();
    this.health.stop();
    this.jobs.stop();
    await this.broker.close();
    await Promise.all(
      [...this.#listeners.values()].map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    this.#listeners.clear();
  }
}
