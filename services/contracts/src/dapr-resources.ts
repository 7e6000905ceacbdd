import { PUBSUB_NAME, SECRETSTORE_NAME, apps, cronBindings, subscriptions, type AppId } from "./topology";

/**
 * The Dapr custom resources, built FROM topology.ts, as plain objects — the ONE source of delivery
 * semantics: the Pulumi program deploys them (components/app wraps them in CustomResources) and the
 * local runtime (`npm start`) parses the same Resiliency, Components and Subscriptions to decide retry
 * schedules, timeouts, breakers, worker concurrency and app health checks. Pure: no Pulumi here.
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

/**
 * Redis Streams settings (components-contrib v1.18.4 common/component/redis/redis.go, pubsub/redis):
 * - `concurrency` defaults to 10 workers per subscription, so `partitionKey` orders nothing; our
 *   consumers keep per-task state (reminder reschedules, websocket fan-out), so one worker: the stream's
 *   order is kept per sidecar (with several replicas of one app-id each takes different messages —
 *   the consumers are idempotent and version-checked for that case).
 * - `maxLenApprox`: streams are never trimmed otherwise. Trimming also drops entries not yet read, so
 *   the bound is far above what piles up while a consumer is down (hours of our traffic).
 * - `processingTimeout` (60 s, the default, stated): a message left pending — its delivery failed while
 *   the app's subscription was stopped by the health check — is reclaimed and delivered again after it.
 *   A delivery still retrying after 60 s is reclaimed too, so it may arrive twice: every consumer is
 *   idempotent on the CloudEvent id, so a duplicate has no second effect.
 */
export const REDIS_STREAM_SETTINGS = { concurrency: 1, maxLenApprox: 100_000, processingTimeout: "60s" } as const;

function pubsubMetadata(broker: BrokerSpec, perReplica: boolean): { type: string; metadata: MetadataItem[]; initTimeout?: string } {
  if (broker.kind === "redis") {
    return {
      type: "pubsub.redis",
      metadata: [
        { name: "redisHost", value: broker.host },
        { name: "redisPassword", secretKeyRef: broker.password },
        { name: "concurrency", value: String(REDIS_STREAM_SETTINGS.concurrency) },
        { name: "maxLenApprox", value: String(REDIS_STREAM_SETTINGS.maxLenApprox) },
        { name: "processingTimeout", value: REDIS_STREAM_SETTINGS.processingTimeout },
        // A per-pod consumer group gives each websocket replica its own copy of every event. Redis
        // creates every group at stream ID "0" (pubsub/redis/redis.go CreateConsumerGroup, v1.18.4),
        // so a new pod first replays what the stream still holds (bounded by maxLenApprox); the
        // websocket forwards only to users connected to it, so a replay at start reaches nobody.
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

/**
 * The Resiliency policy, and why each number (read in dapr v1.18.3 pkg/resiliency/policy.go, retry.go,
 * pkg/runtime/subscription/subscription.go, postman/http/http.go, pkg/api/http/directmessaging.go):
 *
 * - Exponential retries ignore `duration`: the CRD has no initialInterval, so dapr/kit retry's
 *   defaults apply — 500 ms × 1.5, ± 50 % jitter, capped at `maxInterval`. So no `duration` here.
 * - deliveryRetry: a refused connection, a 5xx, `{"status":"RETRY"}` or a timeout is retried; when the
 *   retries are spent daprd publishes to the dead-letter topic and acks. The schedule must outlast the
 *   app health check's detection (APP_HEALTH_CHECK: 3 failed probes 5 s apart ≈ 15 s): once the app is
 *   unhealthy daprd stops the subscription, and a delivery whose retries run out while the subscription
 *   is closed is not dead-lettered but left to the broker (subscription.go, "when the subscription is
 *   closing … block on the handler context"). 10 retries capped at 10 s span 22–66 s.
 * - No circuit breaker on pub/sub: daprd keeps one breaker per component per sidecar across all
 *   topics, and while open (or over `maxRequests` when half-open) every message goes to the dead-letter
 *   topic without an attempt — one failing topic would dead-letter healthy traffic on every other.
 *   The app health check is what pauses delivery for a sick app.
 * - invocationRetry: with no `matching` daprd retries every non-2xx answer (a 404 three times).
 *   `matching.httpStatusCodes` limits retries to overload and server errors; connection errors (the
 *   target restarting) are not status codes and are always retried.
 * - No app breaker: it is keyed app + method and counts every non-2xx, 4xx included, as a failure —
 *   matching does not change that (the breaker wraps the attempt, before the retry looks at the code)
 *   — and answers `500 ERR_DIRECT_INVOKE` while open: five 404s would turn the next good call into 500.
 */
export const resiliencyPolicies = {
  timeouts: { delivery: "15s", invocation: "10s" },
  retries: {
    deliveryRetry: { policy: "exponential", maxInterval: "10s", maxRetries: 10 },
    invocationRetry: { policy: "exponential", maxInterval: "2s", maxRetries: 3, matching: { httpStatusCodes: "429,500-599" } },
  },
} as const;

export function daprResiliency(opts: DaprResourcesOptions): DaprObject {
  const appTargets = Object.fromEntries(daprAppIds().map((id) => [id, { retry: "invocationRetry", timeout: "invocation" }]));
  const pubsubInbound = { inbound: { retry: "deliveryRetry", timeout: "delivery" } };
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Resiliency",
    metadata: { name: DAPR_RESILIENCY_NAME, namespace: opts.namespace, labels: opts.labels },
    spec: {
      policies: structuredClone(resiliencyPolicies) as unknown as Record<string, unknown>,
      targets: {
        apps: appTargets,
        components: { [PUBSUB_NAME]: pubsubInbound, [PER_REPLICA_PUBSUB_NAME]: pubsubInbound },
      },
    },
  };
}

/**
 * App health checks (dapr v1.18.3 pkg/runtime/runtime.go appHealthChanged): while the app fails
 * `threshold` probes in a row daprd stops its subscriptions, input bindings (cron) and job triggers,
 * and resumes them when a probe passes — without it daprd never pauses, and an app that is down burns
 * through the delivery retries into the dead-letter topic. The path is `/readyz`, which checks the
 * database: during a database outage the app is unhealthy and receives nothing, instead of answering
 * RETRY until events are dead-lettered. The probe timeout must exceed `/readyz`'s own 2 s check budget.
 */
export const APP_HEALTH_CHECK = { path: "/readyz", probeIntervalSeconds: 5, probeTimeoutMs: 3000, threshold: 3 } as const;

/** The `dapr.io/*` annotations that switch the check on (pkg/injector/patcher/sidecar.go, v1.18.3). */
export function appHealthAnnotations(): Record<string, string> {
  return {
    "dapr.io/enable-app-health-check": "true",
    "dapr.io/app-health-check-path": APP_HEALTH_CHECK.path,
    "dapr.io/app-health-probe-interval": String(APP_HEALTH_CHECK.probeIntervalSeconds),
    "dapr.io/app-health-probe-timeout": String(APP_HEALTH_CHECK.probeTimeoutMs),
    "dapr.io/app-health-threshold": String(APP_HEALTH_CHECK.threshold),
  };
}

/**
 * Jobs (dapr v1.18.3 pkg/runtime/scheduler/internal/cluster/streamer.go; go-etcd-cron v0.12.7): with no
 * `failurePolicy` a failed trigger is retried 3 × 1 s, then a one-shot job is gone; a 404 from the app
 * counts as success. A reminder must survive an app restart or a database outage, so: every 5 s for
 * 10 minutes (the health check also holds triggers while the app is unhealthy); the reminder sweep
 * (cron binding) is the safety net after that.
 */
export const JOB_FAILURE_POLICY = { constant: { interval: "5s", maxRetries: 120 } } as const;
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
    secretStoreComponent(opts),
    ...cronBindingComponents(opts),
    daprConfiguration(opts),
    daprResiliency(opts),
    ...daprSubscriptions(opts),
  ];
}

/**
 * The resources of the local stack (Redis broker), which the local runtime obeys: the same builders,
 * so `npm start` retries, times out, pauses and orders exactly as the Minikube deployment does.
 */
export function localDaprResources(): DaprObject[] {
  return daprResources({ namespace: "todo", broker: { kind: "redis", host: "redis:6379", password: { name: "redis", key: "password" } }, labels: {} });
}
