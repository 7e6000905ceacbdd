import { z } from "zod";
import { PUBSUB_NAME } from "@todo/contracts/topology";
import type { DaprObject } from "@todo/contracts/dapr-resources";
import { parseGoDuration } from "../schedule";

/** One subscription as the broker routes it: read from a deployed `Subscription`, or added by a test. */
export interface BrokerSubscription {
  name: string;
  appId: string;
  topic: string;
  route: string;
  deadLetterTopic?: string;
  /** The pub/sub component it consumes through (default `pubsub`). */
  pubsubName?: string;
}

/** What the local broker emulates of a `pubsub.redis` component (components-contrib v1.18.4 defaults). */
export interface PubSubComponentSettings {
  name: string;
  /** Workers per component per sidecar, shared by all its topics (pubsub/redis/redis.go Init). */
  concurrency: number;
  /** Stream bound: beyond it the oldest entries go, read or not (XADD MAXLEN ~). 0 = unbounded. */
  maxLenApprox: number;
  /** A delivery that failed while its subscription was stopped is reclaimed after this long. */
  processingTimeoutMs: number;
}

const SubscriptionObject = z.object({
  kind: z.literal("Subscription"),
  metadata: z.object({ name: z.string() }),
  spec: z.object({ pubsubname: z.string(), topic: z.string(), routes: z.object({ default: z.string() }), deadLetterTopic: z.string().optional() }),
  scopes: z.array(z.string()).length(1),
});

export function subscriptionsFrom(objects: readonly DaprObject[]): BrokerSubscription[] {
  return objects
    .filter((o) => o.kind === "Subscription")
    .map((o) => {
      const s = SubscriptionObject.parse(o);
      return { name: s.metadata.name, appId: s.scopes[0]!, topic: s.spec.topic, route: s.spec.routes.default, deadLetterTopic: s.spec.deadLetterTopic, pubsubName: s.spec.pubsubname };
    });
}

const metadataValue = (o: DaprObject, name: string): string | undefined =>
  ((o.spec.metadata as Array<{ name: string; value?: string }> | undefined) ?? []).find((m) => m.name === name)?.value;

/** Go durations, or a bare number of milliseconds (the Redis component's legacy reading). */
const durationMs = (text: string | undefined, fallback: number) => (text === undefined ? fallback : /^\d+$/.test(text) ? Number(text) : (parseGoDuration(text) ?? fallback));

export function pubsubComponentsFrom(objects: readonly DaprObject[]): PubSubComponentSettings[] {
  return objects
    .filter((o) => o.kind === "Component" && String(o.spec.type).startsWith("pubsub."))
    .map((o) => ({
      name: o.metadata.name,
      concurrency: Number(metadataValue(o, "concurrency") ?? 10),
      maxLenApprox: Number(metadataValue(o, "maxLenApprox") ?? 0),
      processingTimeoutMs: durationMs(metadataValue(o, "processingTimeout"), 60_000),
    }));
}

export const defaultComponentSettings = (name = PUBSUB_NAME): PubSubComponentSettings => ({ name, concurrency: 10, maxLenApprox: 0, processingTimeoutMs: 60_000 });
