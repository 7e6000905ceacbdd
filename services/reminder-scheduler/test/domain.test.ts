import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { dueTimeFor, jobNameFor, readJobData, reminderDueEventId, sameInstant, sweepDueTime } from "../src/domain/job-schedule";
import { decideFiring, onCancelled, onScheduled, type Reminder } from "../src/domain/reminder-state";

const taskId = randomUUID();
const userId = randomUUID();
const at = (iso: string) => new Date(iso);

function reminder(over: Partial<Reminder> = {}): Reminder {
  return {
    taskId,
    userId,
    remindAt: "2030-01-01T10:00:00.000Z",
    title: "pay rent",
    state: "scheduled",
    eventTime: "2029-12-31T00:00:00.000Z",
    firedAt: null,
    correlationId: "c1",
    ...over,
  };
}
const scheduled = (time: string, remindAt: string) => ({ taskId, userId, remindAt, title: "pay rent", time, correlationId: "c2" });

describe("reminder-scheduler domain: job naming and due times", () => {
  it("when a job is named, then it is reminder-<taskId>", () => {
    assert.equal(jobNameFor(taskId), `reminder-${taskId}`);
  });

  it("when a remindAt has an offset or milliseconds, then dueTime is the same instant in RFC 3339 UTC, milliseconds kept", () => {
    assert.equal(dueTimeFor("2030-01-01T12:00:00.250+02:00"), "2030-01-01T10:00:00.250Z");
    assert.throws(() => dueTimeFor("not a time"), RangeError);
  });

  it("when the sweep re-arms an overdue reminder, then its dueTime is now; a future one keeps its time", () => {
    const now = at("2030-01-01T10:00:05.000Z");
    assert.equal(sweepDueTime("2030-01-01T10:00:00.000Z", now), "2030-01-01T10:00:05.000Z");
    assert.equal(sweepDueTime("2030-01-01T11:00:00.000Z", now), "2030-01-01T11:00:00.000Z");
  });

  it("when two firings concern the same reminder written differently, then their reminder.due ids are equal; another time differs", () => {
    assert.equal(reminderDueEventId(taskId, "2030-01-01T12:00:00+02:00"), reminderDueEventId(taskId, "2030-01-01T10:00:00.000Z"));
    assert.notEqual(reminderDueEventId(taskId, "2030-01-01T10:00:00Z"), reminderDueEventId(taskId, "2030-01-01T10:00:01Z"));
    assert.equal(sameInstant("2030-01-01T12:00:00+02:00", "2030-01-01T10:00:00.000Z"), true);
    assert.equal(sameInstant(null, "2030-01-01T10:00:00.000Z"), false);
  });

  it("when a callback body wraps the job data raw, under data, or as a protobuf string value, then it is read; junk gives null", () => {
    const data = { taskId, remindAt: "2030-01-01T10:00:00.000Z" };
    assert.deepEqual(readJobData(data), data);
    assert.deepEqual(readJobData({ data }), data);
    assert.deepEqual(readJobData({ "@type": "type.googleapis.com/google.protobuf.StringValue", value: JSON.stringify(data) }), data);
    assert.equal(readJobData({ value: "{nope" }), null);
    assert.equal(readJobData(undefined), null);
  });
});

describe("reminder-scheduler domain: state transitions", () => {
  it("when a first reminder.scheduled arrives, then it is scheduled", () => {
    const d = onScheduled(null, scheduled("2030-01-01T00:00:00Z", "2030-01-01T10:00:00Z"));
    assert.equal(d.kind, "schedule");
    assert.equal(d.kind === "schedule" && d.next.state, "scheduled");
  });

  it("when an older reminder.scheduled is replayed after a newer one, then it is ignored", () => {
    const d = onScheduled(reminder({ eventTime: "2030-01-01T00:00:10Z" }), scheduled("2030-01-01T00:00:05Z", "2030-01-01T09:00:00Z"));
    assert.deepEqual(d, { kind: "ignore", reason: "older" });
  });

  it("when a fired reminder is announced again at the same time, then it is not re-armed; at a new time it is", () => {
    const fired = reminder({ state: "fired", firedAt: "2030-01-01T10:00:00Z" });
    assert.deepEqual(onScheduled(fired, scheduled("2030-01-01T00:00:00Z", "2030-01-01T10:00:00Z")), { kind: "ignore", reason: "already-fired" });
    const again = onScheduled(fired, scheduled("2030-01-01T00:00:00Z", "2030-01-02T10:00:00Z"));
    assert.equal(again.kind === "schedule" && again.next.state, "scheduled");
    assert.equal(again.kind === "schedule" && again.next.firedAt, null);
  });

  it("when a cancellation is newer, then it cancels; when older than the row, it is ignored; without a row it is remembered", () => {
    const c = onCancelled(reminder(), { taskId, userId, time: "2030-01-01T00:00:00Z", correlationId: "c" });
    assert.equal(c.kind === "cancel" && c.next.state, "cancelled");
    assert.deepEqual(onCancelled(reminder({ eventTime: "2030-01-02T00:00:00Z" }), { taskId, userId, time: "2030-01-01T00:00:00Z", correlationId: "c" }), {
      kind: "ignore",
      reason: "older",
    });
    const fresh = onCancelled(null, { taskId, userId, time: "2030-01-01T00:00:00Z", correlationId: "c" });
    assert.equal(fresh.kind === "cancel" && fresh.next.remindAt, null);
    // and a replayed older scheduled event cannot revive it
    assert.equal(fresh.kind === "cancel" && onScheduled(fresh.next, scheduled("2029-12-31T00:00:00Z", "2030-01-01T10:00:00Z")).kind, "ignore");
  });
});

describe("reminder-scheduler domain: firing", () => {
  const due = at("2030-01-01T10:00:00.100Z");
  const pending = { status: "pending" as const, remindAt: "2030-01-01T10:00:00.000Z" };

  it("when the row is scheduled, the job and the task agree, then it publishes", () => {
    assert.deepEqual(decideFiring(reminder(), { taskId, remindAt: "2030-01-01T10:00:00Z" }, pending, due), { kind: "publish", remindAt: "2030-01-01T10:00:00.000Z" });
  });

  it("when the job is for an older remindAt than the row, then it is stale and the row is left alone", () => {
    const d = decideFiring(reminder(), { taskId, remindAt: "2030-01-01T09:00:00Z" }, pending, due);
    assert.deepEqual(d, { kind: "stale", settle: false, reason: "rescheduled" });
  });

  it("when the row is already fired, then it is a duplicate; when cancelled, stale", () => {
    assert.equal(decideFiring(reminder({ state: "fired" }), null, pending, due).kind, "duplicate");
    assert.equal(decideFiring(reminder({ state: "cancelled" }), null, pending, due).kind, "stale");
  });

  it("when the task is gone, completed, or has another remindAt, then it is stale and settled", () => {
    for (const task of [null, { ...pending, status: "completed" as const }, { ...pending, remindAt: null }, { ...pending, remindAt: "2030-01-01T11:00:00Z" }]) {
      const d = decideFiring(reminder(), null, task, due);
      assert.equal(d.kind === "stale" && d.settle, true, JSON.stringify(task));
    }
  });

  it("when an unreadable old job fires well before the row's remindAt, then it is stale (never early)", () => {
    assert.deepEqual(decideFiring(reminder(), null, pending, at("2030-01-01T09:00:00Z")), { kind: "stale", settle: false, reason: "early" });
  });
});
