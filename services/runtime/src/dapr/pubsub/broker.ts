import { EventEmitter } from "node:events";
import type { Logger } from "../../../../shared/src/telemetry/logger";
import { callApp, backoffMs, sleep } from "../app-channel";
import type { AppRegistry } from "../app-registry";
import type { SidecarFaults } from "../faults";
import type { CloudEvent } from "./cloud-event";
import { defaultDeliveryPolicy, verdictOf, type DeliveryPolicy } from "./delivery-policy";
import { OrderedQueues } from "./ordered-queues";

/** One subscription as the broker routes it (topology.ts `subscriptions`, plus any a test adds). */
export interface BrokerSubscription {
  name: string;
  appId: string;
  topic: string;
  route: string;
  deadLetterTopic?: string;
}

export interface DeadLetterRecord {
  subscription: string;
  appId: string;
  topic: string;
  /** Where the event was re-published; undefined when the subscription has none (the event is discarded). */
  deadLetterTopic: string | undefined;
  reason: string;
  event: CloudEvent;
  at: string;
}

export interface BrokerCounters {
  published: number;
  /** Deliveries a subscriber acknowledged. */
  delivered: number;
  /** Attempts that were answered RETRY/5xx/timeout or found the app unreachable, and were tried again. */
  retried: number;
  deadLettered: number;
  /** Events dead-lettered from a subscription without a dead-letter topic: gone (logged and recorded). */
  discarded: number;
}

/**
 * The in-process broker every local sidecar publishes into: delivers each event to every subscription
 * of its topic whose app is registered, in order per subscription and partition key, with Dapr's
 * retry/dead-letter semantics. Messages live in memory: what is queued when the runtime stops is gone
 * (the backend's outbox is what makes publishing durable).
 */
export class PubSubBroker {
  readonly counters: BrokerCounters = { published: 0, delivered: 0, retried: 0, deadLettered: 0, discarded: 0 };
  readonly deadLetters: DeadLetterRecord[] = [];
  readonly #subscriptions: BrokerSubscription[];
  readonly #queues = new OrderedQueues();
  readonly #stopping = new AbortController();
  readonly #events = new EventEmitter();
  #inFlight = 0;

  constructor(
    private readonly opts: {
      apps: AppRegistry;
      faults: SidecarFaults;
      subscriptions: readonly BrokerSubscription[];
      policy?: Partial<DeliveryPolicy>;
      log: Logger;
    },
  ) {
    this.#subscriptions = [...opts.subscriptions];
  }

  get policy(): DeliveryPolicy {
    return { ...defaultDeliveryPolicy, ...this.opts.policy };
  }

  addSubscription(sub: BrokerSubscription): void {
    this.#subscriptions.push(sub);
  }

  subscriptionsOf(appId: string): BrokerSubscription[] {
    return this.#subscriptions.filter((s) => s.appId === appId);
  }

  /** Deliveries queued or running. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves once no delivery is queued or running. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#events.once("idle", resolve));
  }

  /** Accepts an event: queues one delivery per subscription of the topic whose app is registered. */
  publish(topic: string, event: CloudEvent, partitionKey: string | undefined): void {
    if (this.#stopping.signal.aborted) throw new Error("broker is stopped");
    this.counters.published++;
    for (const sub of this.#subscriptions) {
      if (sub.topic !== topic || !this.opts.apps.has(sub.appId)) continue;
      this.#inFlight++;
      void this.#queues
        .run(partitionKey === undefined ? undefined : `${sub.name}\u0000${partitionKey}`, () => this.#deliver(sub, event, partitionKey))
        .catch((err) => this.opts.log.error({ err, subscription: sub.name, id: event.id }, "delivery crashed"))
        .finally(() => {
          if (--this.#inFlight === 0) this.#events.emit("idle");
        });
    }
  }

  stop(): void {
    this.#stopping.abort();
    this.opts.faults.releaseAll();
  }

  async #deliver(sub: BrokerSubscription, event: CloudEvent, partitionKey: string | undefined): Promise<void> {
    const policy = this.policy;
    const signal = this.#stopping.signal;
    const body = JSON.stringify(event);
    let appRetries = 0;
    let attempts = 0;
    let unavailableSince: number | undefined;
    for (;;) {
      await this.opts.faults.deliveryAllowed();
      if (signal.aborted) return;
      const result = await callApp(this.opts.apps.url(sub.appId), sub.route, {
        headers: {
          "content-type": "application/cloudevents+json",
          ...(typeof event.traceparent === "string" ? { traceparent: event.traceparent } : {}),
          pubsubname: String(event.pubsubname ?? ""),
        },
        body,
        timeoutMs: policy.requestTimeoutMs,
      });
      let reason: string;
      if (result.kind === "answered") {
        unavailableSince = undefined;
        const verdict = verdictOf(result.status, result.body);
        if (verdict === "success") {
          this.counters.delivered++;
          return;
        }
        reason = `HTTP ${result.status} ${result.body.slice(0, 200)}`.trim();
        if (verdict === "drop") return this.#deadLetter(sub, event, partitionKey, reason);
        if (++appRetries > policy.maxRetries) return this.#deadLetter(sub, event, partitionKey, `retries exhausted: ${reason}`);
      } else if (result.kind === "failed") {
        reason = result.reason;
        if (++appRetries > policy.maxRetries) return this.#deadLetter(sub, event, partitionKey, `retries exhausted: ${reason}`);
      } else {
        reason = `app unavailable: ${result.reason}`;
        unavailableSince ??= Date.now();
        if (Date.now() - unavailableSince > policy.appUnavailableTimeoutMs) return this.#deadLetter(sub, event, partitionKey, reason);
      }
      this.counters.retried++;
      this.opts.log.debug({ subscription: sub.name, id: event.id, reason }, "delivery will be retried");
      if (!(await sleep(backoffMs(policy, attempts++), signal))) return;
    }
  }

  #deadLetter(sub: BrokerSubscription, event: CloudEvent, partitionKey: string | undefined, reason: string): void {
    this.counters.deadLettered++;
    this.deadLetters.push({ subscription: sub.name, appId: sub.appId, topic: sub.topic, deadLetterTopic: sub.deadLetterTopic, reason, event, at: new Date().toISOString() });
    this.opts.log.warn({ subscription: sub.name, id: event.id, type: event.type, deadLetterTopic: sub.deadLetterTopic, reason }, "event dead-lettered");
    if (!sub.deadLetterTopic) {
      this.counters.discarded++;
      return;
    }
    // The original CloudEvent goes to the dead-letter topic unchanged (its `topic` still names where it failed).
    if (!this.#stopping.signal.aborted) this.publish(sub.deadLetterTopic, event, partitionKey);
  }
}
