import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { makeEvent } from "@todo/contracts/envelope";
import { WebSocketFrame } from "@todo/contracts/frames";
import { type Task } from "@todo/contracts/task";
import { ConnectionRegistry } from "../src/domain/connection-registry";
import { frameFor, planDelivery } from "../src/domain/frames";
import { RecentEventIds } from "../src/domain/recent-event-ids";
import { tokenOfUpgrade } from "../src/domain/upgrade-token";

const alice = randomUUID();
const bob = randomUUID();
const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

function task(userId: string): Task {
  const now = new Date().toISOString();
  return { id: randomUUID(), userId, title: "t", description: "", status: "pending", priority: "low", tags: [], dueAt: null, remindAt: null, recurrence: null, createdAt: now, updatedAt: now, completedAt: null, version: 2 };
}

describe("websocket domain: connection registry", () => {
  it("when a user has two connections and another user one, then each user's connections are exactly their own", () => {
    const r = new ConnectionRegistry<string>();
    r.add(alice, "a1");
    r.add(alice, "a2");
    r.add(alice, "a2"); // registering twice is harmless
    r.add(bob, "b1");
    assert.deepEqual(r.connectionsOf(alice).sort(), ["a1", "a2"]);
    assert.deepEqual(r.connectionsOf(bob), ["b1"]);
    assert.deepEqual(r.connectionsOf(randomUUID()), []);
    assert.equal(r.size, 3);
  });

  it("when a connection is removed twice, then only the first removal counts and empty users disappear", () => {
    const r = new ConnectionRegistry<string>();
    r.add(bob, "b1");
    assert.equal(r.remove(bob, "b1"), true);
    assert.equal(r.remove(bob, "b1"), false);
    assert.equal(r.remove(alice, "b1"), false);
    assert.equal(r.size, 0);
    assert.deepEqual(r.all(), []);
  });
});

describe("websocket domain: frames and fan-out", () => {
  it("when a task.updated event is framed, then the frame is {type,id,time,data.task} and valid", () => {
    const t = task(alice);
    const e = makeEvent({ type: "task.updated", source: "backend", subject: t.id, userId: alice, correlationId: "c", data: { task: t, changes: ["title"] } });
    const frame = frameFor(e);
    assert.deepEqual(frame, { type: "task.updated", id: e.id, time: e.time, data: { task: t } });
    assert.equal(WebSocketFrame.safeParse(frame).success, true);
  });

  it("when a task.reopened event is framed, then it keeps its own type and carries the task, as every task frame", () => {
    const t = task(alice);
    const e = makeEvent({ type: "task.reopened", source: "backend", subject: t.id, userId: alice, correlationId: "c", data: { task: t } });
    const frame = frameFor(e);
    assert.deepEqual(frame, { type: "task.reopened", id: e.id, time: e.time, data: { task: t } });
    assert.equal(WebSocketFrame.safeParse(frame).success, true);
    assert.deepEqual(planDelivery(e, () => ["a1"])?.recipients, ["a1"]);
  });

  it("when reminder events are framed, then only reminder.due becomes a frame", () => {
    const taskId = randomUUID();
    const at = new Date().toISOString();
    const due = makeEvent({ type: "reminder.due", source: "s", subject: taskId, userId: alice, correlationId: "c", data: { taskId, remindAt: at, title: "x", firedAt: at } });
    const scheduled = makeEvent({ type: "reminder.scheduled", source: "s", subject: taskId, userId: alice, correlationId: "c", data: { taskId, remindAt: at, title: "x" } });
    assert.equal(WebSocketFrame.safeParse(frameFor(due)).success, true);
    assert.equal(frameFor(scheduled), null);
    assert.equal(planDelivery(scheduled, () => ["a1"]), null);
  });

  it("when a task event's envelope names another user than its task, then nobody gets the frame", () => {
    const r = new ConnectionRegistry<string>();
    r.add(alice, "a1");
    r.add(bob, "b1");
    const t = task(alice);
    const forged = makeEvent({ type: "task.updated", source: "backend", subject: t.id, userId: bob, correlationId: "c", data: { task: t, changes: ["title"] } });
    assert.deepEqual(planDelivery(forged, (u) => r.connectionsOf(u))?.recipients, []);
    const honest = makeEvent({ type: "task.updated", source: "backend", subject: t.id, userId: alice, correlationId: "c", data: { task: t, changes: ["title"] } });
    assert.deepEqual(planDelivery(honest, (u) => r.connectionsOf(u))?.recipients, ["a1"]);
  });

  it("when a notification event is planned, then it goes to the owner's connections only", () => {
    const r = new ConnectionRegistry<string>();
    r.add(alice, "a1");
    r.add(bob, "b1");
    const e = makeEvent({
      type: "notification.sent",
      source: "notification",
      subject: randomUUID(),
      userId: bob,
      correlationId: "c",
      data: { notificationId: randomUUID(), taskId: randomUUID(), channel: "in-app", title: "t", message: "m", createdAt: new Date().toISOString() },
    });
    const plan = planDelivery(e, (u) => r.connectionsOf(u));
    assert.deepEqual(plan?.recipients, ["b1"]);
    assert.equal(plan?.frame.type, "notification.sent");
  });
});

describe("websocket domain: recent event ids", () => {
  it("when an id repeats, then only its first sighting counts; beyond capacity the least recently seen is forgotten", () => {
    const seen = new RecentEventIds(2);
    assert.equal(seen.firstSighting("a"), true);
    assert.equal(seen.firstSighting("a"), false);
    assert.equal(seen.firstSighting("b"), true);
    assert.equal(seen.firstSighting("a"), false); // refreshes a
    assert.equal(seen.firstSighting("c"), true); // evicts b
    assert.equal(seen.size, 2);
    assert.equal(seen.firstSighting("a"), false);
    assert.equal(seen.firstSighting("b"), true);
    assert.throws(() => new RecentEventIds(0), RangeError);
  });
});

describe("websocket domain: upgrade token", () => {
  it("when the token comes as ?token= or as `bearer, <jwt>` subprotocols, then it is found and its channel named", () => {
    assert.deepEqual(tokenOfUpgrade(`/ws?token=${jwt}`, undefined), { token: jwt, via: "query" });
    assert.deepEqual(tokenOfUpgrade("/ws", `bearer, ${jwt}`), { token: jwt, via: "subprotocol" });
    assert.deepEqual(tokenOfUpgrade(`/ws?token=${jwt}`, `bearer,${jwt}`), { token: jwt, via: "subprotocol" });
  });

  it("when no token, a token not shaped like a JWT, or a jwt without the bearer marker is offered, then there is none", () => {
    assert.equal(tokenOfUpgrade("/ws", undefined), null);
    assert.equal(tokenOfUpgrade("/ws?token=abc", undefined), null);
    assert.equal(tokenOfUpgrade("/ws", jwt), null);
    assert.equal(tokenOfUpgrade("/ws", "bearer"), null);
    assert.equal(tokenOfUpgrade(`/ws?token=${"a".repeat(5000)}.b.c`, undefined), null);
  });
});
