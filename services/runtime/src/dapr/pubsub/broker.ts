import { EventEmitter } from "node:events";
import type { Logger } from "../../../../shared/src/telemetry/logger";
import { PUBSUB_NAME } from "@todo/contracts/topology";
import { callApp, unboundedAbortController } from "../app-channel";
import type { AppRegistry } from "../app-registry";
import type { SidecarFaults } from "../faults";
import type { AppHealth } from "../health/app-health";
import { runWithPolicy, StatusCodeError } from "../resiliency/policy-runner";
import type { Resiliency } from "../resiliency/resiliency";
import type { CloudEvent } from "./cloud-event";
import { verdictOf } from "./delivery-verdict";
import { MemoryMessageStore, type MessageStore } from "./message-store";
import { defaultComponentSettings, type BrokerSubscription, type PubSubComponentSettings } from "./pubsub-definitions";

export type { BrokerSubscription } from "./pubsub-definitions";

export interface DeadLetterRecord {
  subscription: string;
  appId: string;
  topic: string;
  /** Where the event was re-published; undefined when the subscription has none (the event is gone). */
  deadLetterTopic: string | undefined;
  reason: string;
  event: CloudEvent;
  at: string;
}

export interface BrokerCounters {
  published: number;
  /** Deliveries a subscriber acknowledged. */
  delivered: number;
  /** Attempts that failed and were tried again under the retry policy. */
  retried: number;
  deadLettered: number;
  /** Failed for good on a subscription without a dead-letter topic: Redis acks it anyway — gone. */
  discarded: number;
  /** Not delivered before the stream was trimmed past it (`maxLenApprox`): gone. */
  trimmed: number;
  /** Failed while the app's subscriptions were stopped (unhealthy app): reclaimed and delivered again later. */
  redelivered: number;
}

interface QueuedMessage {
  /** Its row in the message store, settled once the delivery is over. */
  id: number;
  sub: BrokerSubscription;
  event: CloudEvent;
  partitionKey: string | undefined;
  /** Position in its topic's stream, for `maxLenApprox` trimming. */
  streamSeq: number;
}

/**
 * The in-process broker every local sidecar publishes into, behaving like daprd 1.18.3 over a
 * `pubsub.redis` component (the local stack's broker):
 * - one consumer per app and component, with the component's `concurrency` workers shared by all
 *   its topics (components-contrib pubsub/redis/redis.go Init): with more than one worker nothing is
 *   ordered, `partitionKey` included;
 * - each delivery runs under the component's inbound Resiliency policy (timeout per attempt, the
 *   breaker shared by all topics, the retry schedule); a refused connection is a retriable failure like
 *   any other (postman/http/http.go wraps app-channel errors as retriable);
 * - 404 or DROP → the dead-letter topic at once; retries spent → the dead-letter topic and ack; with no
 *   dead-letter topic the Redis component acks after the error (pubsub/redis/redis.go processMessage):
 *   the event is gone (counted as `discarded`);
 * - an app with a health check that fails gets no deliveries; a delivery whose retries run out while
 *   the app's subscription is stopped is not dead-lettered but left pending, and Redis reclaims it after
 *   `processingTimeout` (subscription.go: "when the subscription is closing … block").
 */
export class PubSubBroker {
  readonly counters: BrokerCounters = { published: 0, delivered: 0, retried: 0, deadLettered: 0, discarded: 0, trimmed: 0, redelivered: 0 };
  readonly deadLetters: DeadLetterRecord[] = [];
  readonly #subscriptions: BrokerSubscription[];
  readonly #consumers = new Map<string, Consumer>();
  readonly #streamSeq = new Map<string, number>();
  // Every waiting delivery/trigger listens on it (and stops listening when done): many at once is normal.
  readonly #stopping = unboundedAbortController();
  readonly #events = new EventEmitter();
  readonly #store: MessageStore;
  #inFlight = 0;

  constructor(
    readonly opts: {
      apps: AppRegistry;
      faults: SidecarFaults;
      health: AppHealth;
      resiliency: Resiliency;
      subscriptions: readonly BrokerSubscription[];
      components: readonly PubSubComponentSettings[];
      store?: MessageStore;
      log: Logger;
    },
  ) {
    this.#store = opts.store ?? new MemoryMessageStore();
    this.#subscriptions = [...opts.subscriptions];
    opts.health.on("change", (appId: string) => {
      for (const c of this.#consumers.values()) if (c.appId === appId) c.pump();
    });
  }

  addSubscription(sub: BrokerSubscription): void {
    this.#subscriptions.push(sub);
  }

  subscriptionsOf(appId: string): BrokerSubscription[] {
    return this.#subscriptions.filter((s) => s.appId === appId);
  }

  /** Deliveries queued, running or waiting to be reclaimed. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves once no delivery is queued, running or waiting to be reclaimed. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#events.once("idle", resolve));
  }

  get stopSignal(): AbortSignal {
    return this.#stopping.signal;
  }

  /**
   * Accepts an event: appends it to the topic's stream, one delivery per subscription whose app is
   * registered. Resolves once the deliveries are in the message store (durable with PostgreSQL).
   */
  async publish(topic: string, event: CloudEvent, partitionKey: string | undefined): Promise<void> {
    if (this.#stopping.signal.aborted) throw new Error("broker is stopped");
    const streamSeq = (this.#streamSeq.get(topic) ?? 0) + 1;
    this.#streamSeq.set(topic, streamSeq);
    const deliveries = this.#subscriptions.filter((sub) => sub.topic === topic && this.opts.apps.has(sub.appId)).map((sub) => ({ sub, event, partitionKey, streamSeq }));
    const ids = await this.#store.append(deliveries);
    this.counters.published++;
    deliveries.forEach((d, i) => {
      this.#track(+1);
      this.#consumer(d.sub).enqueue({ ...d, id: ids[i]! });
    });
  }

  /** Queues what the store still holds from a previous run (a crash), oldest first. */
  async restore(): Promise<number> {
    const pending = await this.#store.pending();
    for (const d of pending) {
      this.#streamSeq.set(d.sub.topic, Math.max(this.#streamSeq.get(d.sub.topic) ?? 0, d.streamSeq));
      this.#track(+1);
      this.#consumer(d.sub).enqueue(d);
    }
    if (pending.length > 0) this.opts.log.info({ deliveries: pending.length }, "pending deliveries restored from the message store");
    return pending.length;
  }

  /** The delivery is over (delivered, dead-lettered, dropped or trimmed): the store forgets it. */
  settle(msg: QueuedMessage): void {
    this.#store.settle(msg.id);
    this.#track(-1);
  }

  stop(): void {
    this.#stopping.abort();
    this.opts.faults.releaseAll();
  }

  async close(): Promise<void> {
    this.stop();
    await this.#store.close();
  }

  /** Entries appended to a topic's stream after `seq` (what trimming counts). */
  entriesAfter(topic: string, seq: number): number {
    return (this.#streamSeq.get(topic) ?? 0) - seq;
  }

  /** Records the dead letter and publishes it to the dead-letter topic; rejects when that publish fails. */
  async recordDeadLetter(msg: QueuedMessage, reason: string): Promise<void> {
    const { sub, event } = msg;
    // The original CloudEvent goes to the dead-letter topic unchanged (its `topic` still names where it failed).
    if (sub.deadLetterTopic && !this.#stopping.signal.aborted) await this.publish(sub.deadLetterTopic, event, msg.partitionKey);
    this.deadLetters.push({ subscription: sub.name, appId: sub.appId, topic: sub.topic, deadLetterTopic: sub.deadLetterTopic, reason, event, at: new Date().toISOString() });
    this.opts.log.warn({ subscription: sub.name, id: event.id, type: event.type, deadLetterTopic: sub.deadLetterTopic, reason }, "event dead-lettered");
    if (sub.deadLetterTopic) this.counters.deadLettered++;
    else this.counters.discarded++;
  }

  #track(delta: number): void {
    this.#inFlight += delta;
    if (this.#inFlight === 0) this.#events.emit("idle");
  }

  #consumer(sub: BrokerSubscription): Consumer {
    const component = sub.pubsubName ?? PUBSUB_NAME;
    const key = `${sub.appId}\u0000${component}`;
    let consumer = this.#consumers.get(key);
    if (!consumer) {
      const settings = this.opts.components.find((c) => c.name === component) ?? defaultComponentSettings(component);
      consumer = new Consumer(this, sub.appId, settings);
      this.#consumers.set(key, consumer);
    }
    return consumer;
  }
}

/** One app's sidecar reading one component: a FIFO queue and `concurrency` workers. */
class Consumer {
  readonly #queue: QueuedMessage[] = [];
  #running = 0;
  #waitingForFaults = false;

  constructor(
    private readonly broker: PubSubBroker,
    readonly appId: string,
    private readonly settings: PubSubComponentSettings,
  ) {}

  enqueue(msg: QueuedMessage): void {
    this.#queue.push(msg);
    this.pump();
  }

  pump(): void {
    const { faults, health } = this.broker.opts;
    if (this.broker.stopSignal.aborted) return;
    if (faults.delivery === "paused") {
      if (!this.#waitingForFaults) {
        this.#waitingForFaults = true;
        void faults.deliveryAllowed().then(() => {
          this.#waitingForFaults = false;
          this.pump();
        });
      }
      return;
    }
    while (this.#running < this.settings.concurrency && this.#queue.length > 0 && health.healthy(this.appId)) {
      const msg = this.#queue.shift()!;
      if (this.settings.maxLenApprox > 0 && this.broker.entriesAfter(msg.sub.topic, msg.streamSeq) >= this.settings.maxLenApprox) {
        this.broker.counters.trimmed++;
        this.broker.opts.log.warn({ subscription: msg.sub.name, id: msg.event.id }, "event trimmed from the stream before delivery (maxLenApprox)");
        this.broker.settle(msg);
        continue;
      }
      this.#running++;
      void this.#deliver(msg)
        .catch((err) => this.broker.opts.log.error({ err, subscription: msg.sub.name, id: msg.event.id }, "delivery crashed"))
        .finally(() => {
          this.#running--;
          this.pump();
        });
    }
  }

  async #deliver(msg: QueuedMessage): Promise<void> {
    const { apps, resiliency, health, log } = this.broker.opts;
    const { sub, event } = msg;
    const stop = this.broker.stopSignal;
    const body = JSON.stringify(event);
    const headers = {
      "content-type": "application/cloudevents+json",
      ...(typeof event.traceparent === "string" ? { traceparent: event.traceparent } : {}),
      pubsubname: String(event.pubsubname ?? ""),
    };
    const policy = resiliency.componentInbound(this.appId, this.settings.name);
    let reclaim = false;
    try {
      const outcome = await runWithPolicy(
        resiliency,
        policy,
        async (signal) => {
          const result = await callApp(apps.url(sub.appId), sub.route, { headers, body, signal });
          if (result.kind !== "answered") throw new Error(`error returned from app channel while sending pub/sub event to app: ${result.reason}`);
          const verdict = verdictOf(result.status, result.body);
          if (verdict === "success") return "delivered" as const;
          // DROP / 404: to the dead-letter topic inside the policy, which counts as a success.
          if (verdict === "drop") return "dropped" as const;
          const text = `HTTP ${result.status} ${result.body.slice(0, 200)}`.trim();
          if (result.status >= 200 && result.status < 300) throw new Error(`RETRY status returned from app: ${text}`);
          throw new StatusCodeError(result.status, `retriable error returned from app: ${text}`);
        },
        stop,
        (err) => {
          this.broker.counters.retried++;
          log.debug({ subscription: sub.name, id: event.id, reason: String(err) }, "delivery will be retried");
        },
      );
      if (outcome === "delivered") this.broker.counters.delivered++;
      else reclaim = !(await this.#deadLetter(msg, "dropped by the subscriber (HTTP 404 or DROP)"));
    } catch (err) {
      if (stop.aborted) return;
      if (!health.healthy(sub.appId)) reclaim = true;
      else reclaim = !(await this.#deadLetter(msg, `retries exhausted: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (stop.aborted) return;
    if (reclaim) this.#reclaimLater(msg);
    else this.broker.settle(msg);
  }

  /** False when the dead-letter topic could not take it (store down): then the delivery stays pending. */
  async #deadLetter(msg: QueuedMessage, reason: string): Promise<boolean> {
    try {
      await this.broker.recordDeadLetter(msg, reason);
      return true;
    } catch (err) {
      this.broker.opts.log.warn({ err: err instanceof Error ? err.message : String(err), id: msg.event.id }, "dead-letter publish failed; the delivery stays pending");
      return false;
    }
  }

  #reclaimLater(msg: QueuedMessage): void {
    this.broker.counters.redelivered++;
    const timer = setTimeout(() => {
      if (this.broker.stopSignal.aborted) return;
      this.#queue.unshift(msg);
      this.pump();
    }, this.settings.processingTimeoutMs);
    timer.unref?.();
  }
}
