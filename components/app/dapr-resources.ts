import {
  PUBSUB_NAME,
  SECRETSTORE_NAME,
  STATESTORE_NAME,
  apps,
  cronBindings,
  deliveryRetry,
  subscriptions,
  type AppId,
} from "../../services/shared/src/topology";

/**
 * The Dapr custom resources, built FROM services/shared/src/topology.ts (the definitions the local
 * runtime routes with), as plain objects. Pure: the component only wraps them in CustomResources.
 */

/** Pub/sub component whose consumer group is the pod: every websocket replica sees every event. */
export const PER_REPLICA_PUBSUB_NAME = `${PUBSUB_NAME}-per-replica`;
export const DAPR_CONFIGURATION_NAME = "todo-dapr-config";
export const DAPR_RESILIENCY_NAME = "todo-resiliency";

export interface SecretRef {
  name: string;
  key: string;
}

export type BrokerSpec =
  | { kind: "redis"; host: string; password: SecretRef }
  | { kind: "kafka"; brokers: string; auth: { type: "password"; username: string; password: SecretRef; saslMechanism: "SHA-256" | "SHA-512" } }
  | { kind: "kafka"; brokers: string; auth: { type: "none" } };

export interface DaprResourcesOptions {
  namespace: string;
  broker: BrokerSpec;
  /** Kubernetes Secret holding the PostgreSQL connection URL for the state store. */
  databaseUrl: SecretRef;
  /** Common labels put on every resource. */
  labels: Record<string, string>;
}

export interface DaprObject {
  apiVersion: string;
  kind: "Component" | "Configuration" | "Resiliency" | "Subscription";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
  scopes?: string[];
}

type MetadataItem = { name: string; value: string } | { name: string; secretKeyRef: SecretRef };

const daprAppIds = (): AppId[] => apps.filter((a) => a.dapr).map((a) => a.id);
const perReplicaAppIds = (): AppId[] => [...new Set(subscriptions.filter((s) => s.perReplica).map((s) => s.appId))];

function pubsubMetadata(broker: BrokerSpec, perReplica: boolean): { type: string; metadata: MetadataItem[]; initTimeout?: string } {
  if (broker.kind === "redis") {
    return {
      type: "pubsub.redis",
      metadata: [
        { name: "redisHost", value: broker.host },
        { name: "redisPassword", secretKeyRef: broker.password },
        // A per-pod consumer group gives each websocket replica its own copy of every event.
        ...(perReplica ? [{ name: "consumerID", value: "{podName}" }] : []),
      ],
    };
  }
  const auth: MetadataItem[] =
    broker.auth.type === "password"
      ? [
          { name: "authType", value: "password" },
          { name: "saslUsername", value: broker.auth.username },
          { name: "saslPassword", secretKeyRef: broker.auth.password },
          // Dapr's names, not Kafka's: SHA-256 / SHA-512 (SCRAM-SHA-256 fails at init).
          { name: "saslMechanism", value: broker.auth.saslMechanism },
        ]
      : [
          { name: "authType", value: "none" },
          { name: "disableTls", value: "true" },
        ];
  return {
    type: "pubsub.kafka",
    // A remote broker (Redpanda Cloud) can take longer than Dapr's 5 s default to answer at start-up.
    initTimeout: "30s",
    metadata: [
      { name: "brokers", value: broker.brokers },
      ...auth,
      ...(perReplica
        ? // Live fan-out only needs events from now on; a new pod must not replay the topic's history.
          [
            { name: "consumerID", value: "{podName}" },
            { name: "initialOffset", value: "newest" },
          ]
        : [
            { name: "consumerGroup", value: "{appID}" },
            { name: "initialOffset", value: "oldest" },
          ]),
    ],
  };
}

function component(opts: DaprResourcesOptions, name: string, spec: Record<string, unknown>, scopes?: string[]): DaprObject {
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Component",
    metadata: { name, namespace: opts.namespace, labels: opts.labels },
    spec,
    ...(scopes ? { scopes } : {}),
  };
}

/** `pubsub` for every Dapr app, and the per-replica twin scoped to the apps that need fan-out. */
export function pubsubComponents(opts: DaprResourcesOptions): DaprObject[] {
  const shared = pubsubMetadata(opts.broker, false);
  const perReplica = pubsubMetadata(opts.broker, true);
  return [
    component(opts, PUBSUB_NAME, { version: "v1", ...shared }, daprAppIds()),
    component(opts, PER_REPLICA_PUBSUB_NAME, { version: "v1", ...perReplica }, perReplicaAppIds()),
  ];
}

export function stateStoreComponent(opts: DaprResourcesOptions): DaprObject {
  return component(opts, STATESTORE_NAME, {
    type: "state.postgresql",
    version: "v1",
    metadata: [
      { name: "connectionString", secretKeyRef: opts.databaseUrl },
      { name: "tableName", value: "dapr_state" },
      { name: "metadataTableName", value: "dapr_metadata" },
    ],
  });
}

/** Kubernetes Secrets of the app namespace (the JWT secret is Secret `jwt-secret`, key `jwt-secret`). */
export function secretStoreComponent(opts: DaprResourcesOptions): DaprObject {
  return component(opts, SECRETSTORE_NAME, { type: "secretstores.kubernetes", version: "v1", metadata: [] });
}

export function cronBindingComponents(opts: DaprResourcesOptions): DaprObject[] {
  return cronBindings.map((b) =>
    component(
      opts,
      b.name,
      {
        type: "bindings.cron",
        version: "v1",
        metadata: [
          { name: "schedule", value: b.schedule },
          { name: "direction", value: "input" },
        ],
      },
      [b.appId],
    ),
  );
}

export function daprConfiguration(opts: DaprResourcesOptions): DaprObject {
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Configuration",
    metadata: { name: DAPR_CONFIGURATION_NAME, namespace: opts.namespace, labels: opts.labels },
    spec: {
      // W3C trace context is propagated through every hop; sampling everything is cheap at this scale.
      tracing: { samplingRate: "1", stdout: false },
      metric: { enabled: true },
    },
  };
}

const ms = (n: number) => `${n}ms`;

/**
 * Retries match topology.deliveryRetry (what the local sidecar applies): exponential, capped at
 * maxInterval, maxRetries attempts, then the subscription's dead-letter topic. Dapr's exponential policy
 * starts from its own initial interval; `duration` records ours for the constant fallback.
 */
export function daprResiliency(opts: DaprResourcesOptions): DaprObject {
  const appTargets = Object.fromEntries(
    daprAppIds().map((id) => [id, { retry: "invocationRetry", timeout: "invocation", circuitBreaker: "appBreaker" }]),
  );
  const pubsubInbound = { inbound: { retry: "deliveryRetry", timeout: "delivery", circuitBreaker: "deliveryBreaker" } };
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Resiliency",
    metadata: { name: DAPR_RESILIENCY_NAME, namespace: opts.namespace, labels: opts.labels },
    spec: {
      policies: {
        timeouts: { delivery: "15s", invocation: "10s", store: "5s" },
        retries: {
          deliveryRetry: {
            policy: "exponential",
            duration: ms(deliveryRetry.initialIntervalMs),
            maxInterval: ms(deliveryRetry.maxIntervalMs),
            maxRetries: deliveryRetry.maxRetries,
          },
          invocationRetry: { policy: "exponential", duration: "200ms", maxInterval: "2s", maxRetries: 3 },
          storeRetry: { policy: "constant", duration: "500ms", maxRetries: 3 },
        },
        circuitBreakers: {
          deliveryBreaker: { maxRequests: 1, interval: "30s", timeout: "30s", trip: "consecutiveFailures >= 10" },
          appBreaker: { maxRequests: 1, interval: "30s", timeout: "20s", trip: "consecutiveFailures >= 5" },
          storeBreaker: { maxRequests: 1, interval: "30s", timeout: "20s", trip: "consecutiveFailures >= 5" },
        },
      },
      targets: {
        apps: appTargets,
        components: {
          [PUBSUB_NAME]: pubsubInbound,
          [PER_REPLICA_PUBSUB_NAME]: pubsubInbound,
          [STATESTORE_NAME]: { outbound: { retry: "storeRetry", timeout: "store", circuitBreaker: "storeBreaker" } },
        },
      },
    },
  };
}

/** One `dapr.io/v2alpha1` Subscription per topology subscription, each with its dead-letter topic. */
export function daprSubscriptions(opts: DaprResourcesOptions): DaprObject[] {
  return subscriptions.map((s) => ({
    apiVersion: "dapr.io/v2alpha1",
    kind: "Subscription",
    metadata: { name: s.name, namespace: opts.namespace, labels: opts.labels },
    spec: {
      pubsubname: s.perReplica ? PER_REPLICA_PUBSUB_NAME : PUBSUB_NAME,
      topic: s.topic,
      routes: { default: s.route },
      ...(s.deadLetterTopic ? { deadLetterTopic: s.deadLetterTopic } : {}),
    },
    scopes: [s.appId],
  }));
}

/** Every Dapr resource of the app namespace. */
export function daprResources(opts: DaprResourcesOptions): DaprObject[] {
  return [
    ...pubsubComponents(opts),
    stateStoreComponent(opts),
    secretStoreComponent(opts),
    ...cronBindingComponents(opts),
    daprConfiguration(opts),
    daprResiliency(opts),
    ...daprSubscriptions(opts),
  ];
}
