import assert from "node:assert/strict";
import { historyInWords, valueInWords } from "../web/src/history-text";
import { reminderChoiceFor, remindAtFor } from "../web/src/reminder-offset";
import { isTypingTarget } from "../web/src/shortcuts";
import { msUntilNextDay, startOfLocalDay, viewQuery } from "../web/src/views";

describe("web: history in words", () => {
  it("when an update carries before/after per field, then each reads 'Field: before → after'", () => {
    const w = historyInWords({
      type: "task.updated",
      at: "2026-01-01T00:00:00.000Z",
      changes: { priority: { before: "medium", after: "high" }, tags: { before: ["a", "b"], after: ["a", "c"] }, description: { before: "", after: "x" } },
    });
    assert.equal(w.headline, "Changed");
    assert.deepEqual(w.details, ["Priority: medium → high", "Tags: a, b → a, c", "Description: none → x"]);
  });

  it("when the backend's entry carries data.diff, then it reads the same", () => {
    const w = historyInWords({
      type: "task.updated",
      at: "x",
      data: { status: "pending", changes: ["priority", "tags"], diff: [{ field: "priority", before: "low", after: "medium" }, { field: "tags", before: [], after: ["x"] }] },
    });
    assert.deepEqual(w, { headline: "Changed", details: ["Priority: low → medium", "Tags: none → x"] });
  });

  it("when an update sets the status back to pending, then it reads 'Reopened'", () => {
    assert.equal(historyInWords({ type: "task.updated", at: "x", data: { status: "pending", changes: ["status", "completedAt"] } }).headline, "Reopened");
    assert.equal(historyInWords({ type: "task.updated", at: "x", changes: { status: { before: "completed", after: "pending" } } }).headline, "Reopened");
  });

  it("when the entry is a completion, reopening or creation, then it is named in words", () => {
    assert.equal(historyInWords({ type: "task.completed", at: "x" }).headline, "Completed");
    assert.equal(historyInWords({ type: "task.reopened", at: "x" }).headline, "Reopened");
    assert.equal(historyInWords({ type: "task.created", at: "x" }).headline, "Created");
  });

  it("when an older server lists only the changed field names, then they are named without values", () => {
    assert.deepEqual(historyInWords({ type: "task.updated", at: "x", changes: ["tags", "dueAt"] }).details, ["Changed tags, due"]);
    assert.deepEqual(historyInWords({ type: "task.updated", at: "x", data: { changes: ["title"] } }).details, ["Changed title"]);
  });

  it("when a value is long, then it is cut", () => {
    assert.ok(valueInWords("description", "x".repeat(500)).length <= 60);
  });
});

describe("web: reminders relative to the due time", () => {
  const due = "2026-05-01T09:00:00.000Z";
  it("when a relative choice is saved, then remindAt is the due time minus the offset", () => {
    assert.equal(remindAtFor("at-due", due, null), due);
    assert.equal(remindAtFor("10m", due, null), "2026-05-01T08:50:00.000Z");
    assert.equal(remindAtFor("1h", due, null), "2026-05-01T08:00:00.000Z");
    assert.equal(remindAtFor("1d", due, null), "2026-04-30T09:00:00.000Z");
    assert.equal(remindAtFor("1h", null, null), null);
    assert.equal(remindAtFor("custom", due, "2026-04-01T00:00:00.000Z"), "2026-04-01T00:00:00.000Z");
    assert.equal(remindAtFor("none", due, "2026-04-01T00:00:00.000Z"), null);
  });

  it("when a stored reminder is opened, then an exact offset shows as its relative choice, anything else as custom", () => {
    assert.equal(reminderChoiceFor(due, "2026-05-01T08:00:00.000Z"), "1h");
    assert.equal(reminderChoiceFor(due, due), "at-due");
    assert.equal(reminderChoiceFor(due, "2026-05-01T08:01:00.000Z"), "custom");
    assert.equal(reminderChoiceFor(null, due), "custom");
    assert.equal(reminderChoiceFor(due, null), "none");
  });
});

describe("web: day views", () => {
  it("when Today is chosen, then the window is [local midnight, next local midnight) of pending tasks", () => {
    const now = new Date(2026, 2, 29, 15, 30); // a DST change day in Europe
    const q = viewQuery("today", now);
    assert.equal(q.dueAfter, new Date(2026, 2, 29).toISOString());
    assert.equal(q.dueBefore, new Date(2026, 2, 30).toISOString());
    assert.equal(q.status, "pending");
    assert.equal(viewQuery("overdue", now).dueBefore, q.dueAfter, "overdue ends where today starts");
    assert.equal(viewQuery("upcoming", now).dueAfter, q.dueBefore, "upcoming starts where today ends");
    assert.equal(viewQuery("upcoming", now).dueBefore, new Date(2026, 3, 6).toISOString());
    assert.deepEqual(viewQuery("all", now), {});
    assert.equal(startOfLocalDay(now, 1).getTime() - now.getTime(), msUntilNextDay(now));
  });
});

describe("web: shortcuts", () => {
  it("when the key comes from a field, then it is typing, not a shortcut", () => {
    for (const tagName of ["INPUT", "TEXTAREA", "SELECT"]) assert.equal(isTypingTarget({ tagName } as unknown as EventTarget), true);
    assert.equal(isTypingTarget({ tagName: "DIV", isContentEditable: true } as unknown as EventTarget), true);
    assert.equal(isTypingTarget({ tagName: "BUTTON", isContentEditable: false } as unknown as EventTarget), false);
    assert.equal(isTypingTarget(null), false);
  });
});
