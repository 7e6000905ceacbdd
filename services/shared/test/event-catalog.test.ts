import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Router, type Request, type Response } from "express";
import { AnyEvent, eventCatalog, eventTypes, frameEventTypes, isEventType, schemaOfTopic, topicOf, typeOfRow } from "@todo/contracts/events";
import { WebSocketFrame } from "@todo/contracts/frames";
import { makeEvent } from "@todo/contracts/envelope";
import { MISSING_TYPE, UNCATALOGUED_TYPE, subscriptionHandler, typeLabel } from "../src/dapr/subscription-handler";
import { eventsConsumed } from "../src/telemetry/event-metrics";
import { createLogger } from "../src/telemetry/logger";
import { createServiceApp } from "../src/http/service-app";
import { allTopics, subscriptionRoute, topics } from "@todo/contracts/topology";

async function consumed(labels: Record<string, string>): Promise<number> {
  const { values } = await eventsConsumed.get();
  return values.filter((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l)).reduce((s, v) => s + v.value, 0);
}

/** Drives the Express handler with the two members of req/res it touches. */
async function deliver(handler: ReturnType<typeof subscriptionHandler>, body: unknown): Promise<{ code: number; body: unknown }> {
  const answer = { code: 0, body: undefined as unknown };
  const res = {
    status(code: number) {
      answer.code = code;
      return this;
    },
    json(b: unknown) {
      answer.body = b;
      return this;
    },
  };
  await handler({ body } as Request, res as unknown as Response, () => undefined);
  return answer;
}

describe("event catalog", () => {
  it("when the catalog is read, then every type appears once, and topicOf and schemaOfTopic are derived from its rows", () => {
    assert.equal(new Set(eventTypes).size, eventCatalog.length);
    for (const row of eventCatalog) {
      const type = typeOfRow(row);
      assert.equal(topicOf[type as keyof typeof topicOf], row.topic, type);
      assert.ok(allTopics.includes(row.topic), `${type} travels on a topology topic`);
    }
    assert.deepEqual(Object.keys(topicOf).sort(), [...eventTypes].sort());
    // every topic has a schema, and it accepts exactly the types the catalog puts on that topic
    for (const topic of allTopics) {
      const onTopic = eventCatalog.filter((r) => r.topic === topic).map(typeOfRow);
      assert.ok(onTopic.length > 0, topic);
      for (const type of eventTypes) {
        const probe = schemaOfTopic[topic].safeParse({ type });
        const issues = probe.success ? [] : probe.error.issues;
        const refusedForType = issues.some((i) => i.path.join(".") === "type");
        assert.equal(refusedForType, !onTopic.includes(type), `${type} on ${topic}`);
      }
    }
  });

  it("when a row is marked frame, then the websocket frame union accepts that type, and no other event type", () => {
    const frame = (type: string) => ({ type, id: "e1", time: new Date().toISOString(), data: {} });
    for (const type of eventTypes) {
      const issues = WebSocketFrame.safeParse(frame(type)).error?.issues ?? [];
      // a union reports "invalid_union"; the type is accepted when some branch fails only on data
      const accepted = issues.some((i) => i.code === "invalid_union" && i.errors.some((branch) => !branch.some((e) => e.path[0] === "type")));
      assert.equal(accepted, frameEventTypes.includes(type), type);
    }
  });

  it("when a type is missing from the catalog, then it is not an event type, the schema refuses it and its metric label says uncatalogued (not an echo, not a silent 'unknown')", async () => {
    assert.equal(isEventType("task.archived"), false);
    assert.equal(isEventType("task.created"), true);
    assert.equal(typeLabel({ type: "task.archived" }), UNCATALOGUED_TYPE);
    assert.equal(typeLabel({ type: "x".repeat(10_000) }), UNCATALOGUED_TYPE);
    assert.equal(typeLabel({}), MISSING_TYPE);
    assert.equal(typeLabel(null), MISSING_TYPE);
    assert.equal(typeLabel({ type: "reminder.due" }), "reminder.due");

    const consumer = `catalog-test-${randomUUID()}`;
    const handler = subscriptionHandler({ consumer, schema: AnyEvent, log: createLogger("test", "silent"), handle: async () => "success" });
    const subject = randomUUID();
    const good = makeEvent({ type: "account.deleted", source: "test", subject, userId: subject, correlationId: "c", data: { userId: subject, deletedAt: new Date().toISOString() } });
    assert.deepEqual(await deliver(handler, { ...good, type: "account.archived" }), { code: 200, body: { status: "DROP" } });
    assert.deepEqual(await deliver(handler, good), { code: 200, body: { status: "SUCCESS" } });
    assert.equal(await consumed({ consumer, type: UNCATALOGUED_TYPE, outcome: "drop" }), 1);
    assert.equal(await consumed({ consumer, type: "account.deleted", outcome: "success" }), 1);
    assert.equal(await consumed({ consumer, type: "account.archived" }), 0);
  });
});

describe("subscription routes from topology", () => {
  it("when a service lacks a handler for one of its topology subscriptions, then it fails at start naming that subscription", () => {
    const log = createLogger("test", "silent");
    const served = (topicsServed: string[]) => {
      const router = Router();
      for (const topic of topicsServed) router.post(subscriptionRoute("reminder-scheduler", topic), (_req, res) => res.json({ status: "SUCCESS" }));
      return createServiceApp({ log, readiness: {}, routes: [router], appId: "reminder-scheduler" });
    };
    assert.throws(() => served([topics.reminders]), /no handler for subscription reminder-scheduler-accounts \(topic accounts, POST \/events\/accounts\)/);
    assert.throws(() => served([topics.accounts]), /reminder-scheduler-reminders/);
    assert.doesNotThrow(() => served([topics.reminders, topics.accounts]));
    // a GET on the route does not count: Dapr POSTs
    const getOnly = Router();
    getOnly.get(subscriptionRoute("reminder-scheduler", topics.reminders), (_req, res) => res.json({}));
    getOnly.post(subscriptionRoute("reminder-scheduler", topics.accounts), (_req, res) => res.json({}));
    assert.throws(() => createServiceApp({ log, readiness: {}, routes: [getOnly], appId: "reminder-scheduler" }), /reminder-scheduler-reminders/);
  });

  it("when a route is asked for a subscription topology does not have, then it throws naming app and topic", () => {
    assert.throws(() => subscriptionRoute("frontend", topics.taskEvents), /frontend has no subscription to task-events/);
  });
});
