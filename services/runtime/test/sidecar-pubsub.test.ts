import assert from "node:assert/strict";
import { resiliencyPolicies } from "@todo/contracts/dapr-resources";
import { LocalDapr } from "../src/dapr/local-dapr";
import { cloudEvent, publish, testDapr } from "./support/sidecar-fixture";
import { eventually, startTestApp, type TestApp } from "./support/test-app";

describe("local sidecar: publish and delivery", () => {
  let dapr: LocalDapr;
  let subscriber: TestApp;
  let deadLetters: TestApp;
  let sidecarUrl: string;

  beforeEach(async () => {
    subscriber = await startTestApp();
    deadLetters = await startTestApp();
    dapr = testDapr({
      subscriptions: [
        { name: "sub-orders", appId: "consumer", topic: "orders", route: "/events/orders", deadLetterTopic: "orders-deadletter" },
        { name: "sub-orders-dl", appId: "operator", topic: "orders-deadletter", route: "/events/dead-letters" },
      ],
    });
    sidecarUrl = (await dapr.addApp("producer", "http://127.0.0.1:9")).url;
    await dapr.addApp("consumer", subscriber.url);
    dapr.registerApp("operator", deadLetters.url);
  });

  afterEach(async () => {
    await dapr.stop();
    await subscriber.close();
    await deadLetters.close();
  });

  const idsReceived = (app: TestApp) => app.requests.map((r) => (r.json as { id: string }).id);

  it("when a CloudEvent is published, then the subscriber gets it unchanged plus topic, pubsubname and trace id, as application/cloudevents+json", async () => {
    const event = cloudEvent("task-1", { title: "x" });
    const res = await publish(sidecarUrl, "orders", event, { key: "task-1" });
    assert.equal(res.status, 204);
    await dapr.idle();
    assert.equal(subscriber.requests.length, 1);
    const got = subscriber.requests[0]!;
    assert.equal(got.path, "/events/orders");
    assert.match(String(got.headers["content-type"]), /^application\/cloudevents\+json/);
    assert.deepEqual({ ...(got.json as object), topic: undefined, pubsubname: undefined, traceid: undefined, traceparent: undefined, tracestate: undefined }, { ...event, topic: undefined, pubsubname: undefined, traceid: undefined, traceparent: undefined, tracestate: undefined });
    const json = got.json as Record<string, string>;
    assert.equal(json.topic, "orders");
    assert.equal(json.pubsubname, "pubsub");
    assert.match(json.traceid!, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("when a plain JSON body is published, then it is wrapped as the data of a new CloudEvent from the publishing app", async () => {
    assert.equal((await publish(sidecarUrl, "orders", { orderId: 7 }, { contentType: "application/json" })).status, 204);
    await dapr.idle();
    const json = subscriber.requests[0]!.json as Record<string, unknown>;
    assert.deepEqual(json.data, { orderId: 7 });
    assert.equal(json.source, "producer");
    assert.equal(json.type, "com.dapr.event.sent");
    assert.equal(json.specversion, "1.0");
  });

  it("when the body claims to be a CloudEvent but lacks its id, then publish answers 400", async () => {
    const res = await publish(sidecarUrl, "orders", { specversion: "1.0", type: "x", source: "y" });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, "ERR_PUBSUB_CLOUD_EVENTS_SER");
  });

  it("when the pubsub name is unknown, then publish answers 404", async () => {
    const res = await fetch(`${sidecarUrl}/v1.0/publish/kafka/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(res.status, 404);
  });

  it("when events of one key are published and the first one is retried, then the later ones wait and arrive in order", async () => {
    let firstAttempts = 0;
    subscriber.reply = (req) => {
      const id = (req.json as { id: string }).id;
      if (id === first.id && ++firstAttempts < 3) return { status: 200, body: { status: "RETRY" } };
      return { status: 200, body: { status: "SUCCESS" } };
    };
    const first = cloudEvent("task-a");
    const rest = [cloudEvent("task-a"), cloudEvent("task-a")];
    for (const e of [first, ...rest]) assert.equal((await publish(sidecarUrl, "orders", e, { key: "task-a" })).status, 204);
    await dapr.idle();
    assert.deepEqual(idsReceived(subscriber), [first.id, first.id, first.id, rest[0]!.id, rest[1]!.id]);
    assert.equal(dapr.counters.delivered, 3);
    assert.equal(dapr.deadLetters.length, 0);
  });

  it("when one event is stuck in retries, then with the deployed concurrency of 1 the next event of another key waits behind it", async () => {
    const stuck = cloudEvent("task-stuck");
    let release = false;
    subscriber.reply = (req) => ((req.json as { id: string }).id === stuck.id && !release ? { status: 500 } : { status: 200 });
    await publish(sidecarUrl, "orders", stuck, { key: "task-stuck" });
    const other = cloudEvent("task-free");
    await publish(sidecarUrl, "orders", other, { key: "task-free" });
    await eventually(() => subscriber.requests.length >= 3, 5000, "retries of the stuck event");
    assert.ok(!idsReceived(subscriber).includes(other.id), "one worker per component: nothing overtakes");
    release = true;
    await dapr.idle();
    assert.deepEqual([...new Set(idsReceived(subscriber))], [stuck.id, other.id]);
    assert.equal(dapr.deadLetters.length, 0);
  });

  it("when the subscriber keeps answering RETRY, then the event is retried per the policy and then published to the dead-letter topic", async () => {
    subscriber.reply = () => ({ status: 200, body: { status: "RETRY" } });
    const event = cloudEvent("task-r");
    await publish(sidecarUrl, "orders", event, { key: "task-r" });
    await dapr.idle();
    assert.equal(subscriber.requests.length, 1 + resiliencyPolicies.retries.deliveryRetry.maxRetries, "the first attempt and maxRetries retries");
    assert.deepEqual(idsReceived(deadLetters), [event.id]);
    assert.equal(deadLetters.requests[0]!.path, "/events/dead-letters");
    assert.equal(dapr.deadLetters.length, 1);
    assert.equal(dapr.deadLetters[0]!.deadLetterTopic, "orders-deadletter");
    assert.match(dapr.deadLetters[0]!.reason, /retries exhausted/);
  });

  for (const [what, reply] of [
    ["DROP", { status: 200, body: { status: "DROP" } }],
    ["HTTP 404", { status: 404, body: { error: "no such route" } }],
  ] as const) {
    it(`when the subscriber answers ${what}, then the event is dead-lettered at once without retries`, async () => {
      subscriber.reply = () => reply;
      const event = cloudEvent("task-d");
      await publish(sidecarUrl, "orders", event, { key: "task-d" });
      await dapr.idle();
      assert.equal(subscriber.requests.length, 1);
      assert.deepEqual(idsReceived(deadLetters), [event.id]);
      assert.equal(dapr.counters.retried, 0);
    });
  }

  it("when the subscriber answers 500 once and then an empty 200, then the event is delivered and not dead-lettered", async () => {
    let n = 0;
    subscriber.reply = () => (n++ === 0 ? { status: 503 } : { status: 200 });
    await publish(sidecarUrl, "orders", cloudEvent("task-e"), { key: "task-e" });
    await dapr.idle();
    assert.equal(subscriber.requests.length, 2);
    assert.equal(dapr.counters.delivered, 1);
    assert.equal(dapr.deadLetters.length, 0);
  });

  it("when the publish fault is on, then publish answers 500 and nothing is delivered; when it is off again, publish works", async () => {
    dapr.faults.publish = "fail";
    const res = await publish(sidecarUrl, "orders", cloudEvent("task-f"), { key: "task-f" });
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, "ERR_PUBSUB_PUBLISH_MESSAGE");
    dapr.faults.publish = "ok";
    assert.equal((await publish(sidecarUrl, "orders", cloudEvent("task-f"), { key: "task-f" })).status, 204);
    await dapr.idle();
    assert.equal(subscriber.requests.length, 1);
  });

  it("when delivery is paused, then accepted events are held until it is resumed", async () => {
    dapr.faults.delivery = "paused";
    await publish(sidecarUrl, "orders", cloudEvent("task-p"), { key: "task-p" });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(subscriber.requests.length, 0);
    assert.equal(dapr.broker.inFlight, 1);
    dapr.faults.delivery = "ok";
    await dapr.idle();
    assert.equal(subscriber.requests.length, 1);
  });

  it("when an app's metadata is read, then it lists its subscriptions with their dead-letter topics", async () => {
    const consumerSidecar = dapr.sidecar("consumer")!;
    const meta = (await (await fetch(`${consumerSidecar.url}/v1.0/metadata`)).json()) as { id: string; subscriptions: Array<{ topic: string; deadLetterTopic: string }> };
    assert.equal(meta.id, "consumer");
    assert.deepEqual(meta.subscriptions.map((s) => [s.topic, s.deadLetterTopic]), [["orders", "orders-deadletter"]]);
    assert.equal((await fetch(`${consumerSidecar.url}/v1.0/healthz/outbound`)).status, 204);
  });
});
