import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { AnyEvent, TaskCreated, makeEvent, topicFor } from "../src/contracts";
import { subscriptions, allTopics, deadLetterTopic } from "../src/topology";

const task = {
  id: randomUUID(),
  userId: randomUUID(),
  title: "t",
  description: "",
  status: "pending" as const,
  priority: "medium" as const,
  tags: [],
  dueAt: null,
  remindAt: null,
  recurrence: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  completedAt: null,
  version: 1,
};

describe("event contracts", () => {
  it("when an event is built with makeEvent, then it validates against its schema and the union", () => {
    const e = makeEvent({ type: "task.created", source: "backend", subject: task.id, userId: task.userId, correlationId: "c1", data: { task } });
    assert.equal(TaskCreated.parse(e).id, e.id);
    assert.equal(AnyEvent.parse(e).type, "task.created");
    assert.equal(topicFor("task.created"), "task-events");
  });

  it("when the subject is not a uuid or the type is unknown, then validation fails", () => {
    const e = makeEvent({ type: "task.created", source: "backend", subject: task.id, userId: task.userId, correlationId: "c1", data: { task } });
    assert.equal(AnyEvent.safeParse({ ...e, subject: "nope" }).success, false);
    assert.equal(AnyEvent.safeParse({ ...e, type: "task.exploded" }).success, false);
  });

  it("when a subscription is not on a dead-letter topic, then it names that topic's dead-letter topic", () => {
    for (const s of subscriptions.filter((s) => allTopics.includes(s.topic as never))) {
      assert.equal(s.deadLetterTopic, deadLetterTopic(s.topic as never), s.name);
    }
    // every dead-letter topic is consumed by someone, so dead letters are seen by an operator
    for (const t of allTopics) assert.ok(subscriptions.some((s) => s.topic === deadLetterTopic(t)), t);
  });
});
