import assert from "node:assert/strict";
import { allDeadLetterTopics, subscriptions } from "@todo/contracts/topology";
import { daprResources, pubsubComponents, type DaprResourcesOptions } from "../dapr-resources";
import { ensureTopicsJob, rpkSaslMechanism, topicNames } from "../../platform/kafka-topics";

const kafka: DaprResourcesOptions = {
  namespace: "todo",
  labels: {},
  broker: { kind: "kafka", brokers: "seed.example.com:9092", auth: { type: "password", username: "todo", saslMechanism: "SHA-256", password: { name: "broker-credentials", key: "password" } } },
};
const meta = (c: { spec: Record<string, unknown> }) => Object.fromEntries((c.spec.metadata as { name: string; value?: string; secretKeyRef?: unknown }[]).map((m) => [m.name, m.value ?? m.secretKeyRef]));

describe("Dapr resources for the cloud broker (Kafka)", () => {
  it("when the broker is Redpanda Cloud, then pubsub.kafka uses password auth, SHA-256, initTimeout 30s and the oldest offset", () => {
    const [pubsub] = pubsubComponents(kafka);
    assert.equal(pubsub.spec.type, "pubsub.kafka");
    assert.equal(pubsub.spec.initTimeout, "30s");
    const m = meta(pubsub);
    assert.equal(m.authType, "password");
    assert.equal(m.saslMechanism, "SHA-256");
    assert.equal(m.initialOffset, "oldest");
    assert.deepEqual(m.saslPassword, { name: "broker-credentials", key: "password" });
  });

  it("when the websocket fans out, then its Kafka component uses one consumer group per pod from the newest offset", () => {
    const [, perReplica] = pubsubComponents(kafka);
    assert.equal(meta(perReplica).consumerID, "{podName}");
    assert.equal(meta(perReplica).initialOffset, "newest");
    assert.deepEqual(perReplica.scopes, ["websocket"]);
  });

  it("when every resource is built, then each subscription names a dead-letter topic that the topic job creates", () => {
    const subs = daprResources(kafka).filter((r) => r.kind === "Subscription");
    assert.equal(subs.length, subscriptions.length);
    const created = new Set(topicNames());
    for (const s of subs) {
      assert.ok(created.has(s.spec.topic as string));
      if (s.spec.deadLetterTopic) assert.ok(created.has(s.spec.deadLetterTopic as string));
    }
    for (const t of allDeadLetterTopics) assert.ok(created.has(t));
  });

  it("when the topic job authenticates, then rpk gets the Kafka mechanism name and the password from a Secret", () => {
    assert.equal(rpkSaslMechanism("SHA-512"), "SCRAM-SHA-512");
    const job = ensureTopicsJob({ namespace: "todo-data", image: "redpanda:v1", brokers: "seed:9092", scriptConfigMap: "s", topics: ["a"], auth: { type: "password", username: "u", saslMechanism: "SHA-256", passwordSecret: { name: "kafka-credentials", key: "password" } } });
    const env = job.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
    assert.equal(env.find((e) => e.name === "RPK_SASL_MECHANISM")!.value, "SCRAM-SHA-256");
    assert.deepEqual(env.find((e) => e.name === "RPK_PASS")!.valueFrom, { secretKeyRef: { name: "kafka-credentials", key: "password" } });
    assert.equal(env.find((e) => e.name === "RPK_PASS")!.value, undefined);
  });
});
