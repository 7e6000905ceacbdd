import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Task, TaskQuery } from "../web/src/api/types";
import { appendPage, applyTask, comparatorFor, matchesQuery, removeTask, type ListState } from "../web/src/live/task-list-state";

const user = randomUUID();
function task(over: Partial<Task> = {}): Task {
  const now = new Date().toISOString();
  return { id: randomUUID(), userId: user, title: "t", description: "", status: "pending", priority: "medium", tags: [], dueAt: null, remindAt: null, recurrence: null, createdAt: now, updatedAt: now, completedAt: null, version: 1, ...over };
}
const ids = (s: ListState) => s.tasks.map((t) => t.title);

describe("web: list state from frames", () => {
  const byTitle: TaskQuery = { status: "pending", sort: "title", order: "asc" };

  it("when a created task arrives, then it is inserted where the server's sort puts it", () => {
    const s: ListState = { tasks: [task({ title: "apple" }), task({ title: "cherry" })], hasMore: false };
    const r = applyTask(s, task({ title: "Banana" }), byTitle);
    assert.deepEqual(ids(r.state), ["apple", "Banana", "cherry"]);
    assert.equal(r.gap, false);
  });

  it("when an update makes a task stop matching the filter (completed in the pending list), then it leaves the list", () => {
    const t = task({ title: "a" });
    const s: ListState = { tasks: [t], hasMore: false };
    const r = applyTask(s, { ...t, status: "completed", version: 2 }, byTitle);
    assert.deepEqual(r.state.tasks, []);
  });

  it("when a frame repeats or is older than what the list has, then nothing changes", () => {
    const t = task({ title: "a", version: 3 });
    const s: ListState = { tasks: [t], hasMore: false };
    assert.equal(applyTask(s, { ...t, title: "old", version: 2 }, byTitle).state, s);
    assert.equal(applyTask(s, { ...t, title: "same", version: 3 }, byTitle).state, s);
  });

  it("when a task's version jumps past the next one, then the gap is reported (and the newer state applied)", () => {
    const t = task({ title: "a", version: 1 });
    const r = applyTask({ tasks: [t], hasMore: false }, { ...t, title: "b", version: 3 }, byTitle);
    assert.equal(r.gap, true);
    assert.deepEqual(ids(r.state), ["b"]);
    assert.equal(applyTask({ tasks: [t], hasMore: false }, { ...t, version: 2 }, byTitle).gap, false);
  });

  it("when the list has more pages, then a task sorting after the last loaded one waits for Load more", () => {
    const s: ListState = { tasks: [task({ title: "a" }), task({ title: "c" })], hasMore: true };
    assert.deepEqual(ids(applyTask(s, task({ title: "z" }), byTitle).state), ["a", "c"]);
    assert.deepEqual(ids(applyTask(s, task({ title: "b" }), byTitle).state), ["a", "b", "c"]);
  });

  it("when sorting by due date, then tasks without one come last in either order", () => {
    const soon = task({ title: "soon", dueAt: "2026-01-01T10:00:00.000Z" });
    const late = task({ title: "late", dueAt: "2026-01-02T10:00:00.000Z" });
    const none = task({ title: "none" });
    for (const order of ["asc", "desc"] as const) {
      const sorted = [none, late, soon].sort(comparatorFor({ sort: "dueAt", order })).map((t) => t.title);
      assert.equal(sorted.at(-1), "none", order);
    }
    assert.deepEqual([none, late, soon].sort(comparatorFor({ sort: "dueAt", order: "desc" })).map((t) => t.title), ["late", "soon", "none"]);
  });

  it("when filtering, then several tags must all be present, text is case-folded and the due window is half-open", () => {
    const t = task({ title: "Straße fegen", tags: ["Work", "home"], dueAt: "2026-03-02T00:00:00.000Z" });
    assert.equal(matchesQuery(t, { tags: ["work", "HOME"] }), true);
    assert.equal(matchesQuery(t, { tags: ["work", "garden"] }), false);
    assert.equal(matchesQuery(t, { q: "STRASSE" }), true);
    assert.equal(matchesQuery(t, { dueAfter: "2026-03-02T00:00:00.000Z", dueBefore: "2026-03-03T00:00:00.000Z" }), true);
    assert.equal(matchesQuery(t, { dueAfter: "2026-03-01T00:00:00.000Z", dueBefore: "2026-03-02T00:00:00.000Z" }), false);
    assert.equal(matchesQuery(task(), { dueBefore: "2026-03-03T00:00:00.000Z" }), false, "no due date is in no window");
  });

  it("when a task is removed or a page appended, then duplicates never appear", () => {
    const a = task({ title: "a" });
    const b = task({ title: "b" });
    const s = appendPage({ tasks: [a], hasMore: true }, [a, b], false);
    assert.deepEqual(ids(s), ["a", "b"]);
    assert.equal(s.hasMore, false);
    assert.deepEqual(ids(removeTask(s, a.id)), ["b"]);
  });
});
