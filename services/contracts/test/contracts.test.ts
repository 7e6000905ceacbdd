import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { AnyEvent, TaskCreated, TaskEvent } from "@todo/contracts/events";
import { makeEvent, topicFor } from "@todo/contracts/envelope";
import { historyItemOf, orderHistory } from "@todo/contracts/history";
import { subscriptions, allTopics, deadLetterTopic } from "@todo/contracts/topology";

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

describe("history lines", () => {
  const base = { source: "backend", subject: task.id, userId: task.userId, correlationId: "c" };

  it("when a task.updated carries previous values, then its line lists each changed task field before and after; names without a value are left out of diff", () => {
    const after = { ...task, priority: "high" as const, tags: ["a"], version: 2 };
    const e = makeEvent({ ...base, type: "task.updated", data: { task: after, changes: ["priority", "tags", "seriesSlot"], previous: { priority: "medium", tags: [] } } });
    const line = historyItemOf(AnyEvent.parse(e) as Parameters<typeof historyItemOf>[0]);
    assert.deepEqual(line.data.changes, ["priority", "tags", "seriesSlot"]);
    assert.deepEqual(line.data.diff, [
      { field: "priority", before: "medium", after: "high" },
      { field: "tags", before: [], after: ["a"] },
    ]);
  });

  it("when a task.updated has no previous values (written before they existed), then its line has changes but no diff", () => {
    const e = makeEvent({ ...base, type: "task.updated", data: { task, changes: ["title"] } });
    const line = historyItemOf(e);
    assert.deepEqual(line.data.changes, ["title"]);
    assert.equal("diff" in line.data, false);
  });

  it("when a task.reopened is recorded, then it travels on task-events and its line is the task pending again, without a field list", () => {
    const reopened = { ...task, version: 3 };
    const e = makeEvent({ ...base, type: "task.reopened", data: { task: reopened } });
    assert.equal(topicFor("task.reopened"), "task-events");
    const line = historyItemOf(TaskEvent.parse(e));
    assert.equal(line.type, "task.reopened");
    assert.deepEqual([line.data.status, line.data.completedAt, line.data.version], ["pending", null, 3]);
    assert.equal("changes" in line.data || "diff" in line.data, false);
  });

  it("when lines share an instant, then they come in task version order, else oldest first", () => {
    const at = new Date("2030-01-01T00:00:00Z");
    const v = (version: number, time: Date) => historyItemOf(makeEvent({ ...base, type: "task.updated", time, data: { task: { ...task, version }, changes: ["title"] } }));
    const lines = [v(3, at), v(2, at), v(1, new Date(at.getTime() - 1))];
    assert.deepEqual(orderHistory(lines).map((l) => l.data.version), [1, 2, 3]);
  });
});
