import assert from "node:assert/strict";
import { randomUUID, scryptSync } from "node:crypto";
import { AnyEvent } from "@todo/contracts/events";
import { type Task } from "@todo/contracts/task";
import { parseIfMatch, satisfies } from "../src/domain/if-match";
import { decodeCursor, encodeCursor } from "../src/domain/list-cursor";
import { hashPassword, verifyPassword } from "../src/domain/password-hashing";
import { passwordProblem } from "../src/domain/password-policy";
import { canonicalRule as parseRecurrence, RecurrenceError } from "../../shared/src/recurrence";
import { applyPatch as applyParsedPatch, completeTask, endSeries, newTask, nextOccurrence, reopenTask, skipOccurrence } from "../src/domain/task-changes";
import { eventsFor, type TaskChange } from "../src/domain/task-events";
import { CreateTaskBody, PatchTaskBody } from "../src/domain/task-input";

const ctx = { source: "backend", correlationId: "req-1", time: new Date("2030-01-01T00:00:00Z") };
const now = new Date("2030-01-01T00:00:00Z");
const later = new Date("2030-01-01T01:00:00Z");

function record(over: Partial<ReturnType<typeof CreateTaskBody.parse>> = {}) {
  return newTask(CreateTaskBody.parse({ title: "t", ...over }), { id: randomUUID(), userId: randomUUID() }, now);
}
/** Patches arrive parsed (times normalised to UTC), as the route passes them. */
const applyPatch = (before: Parameters<typeof applyParsedPatch>[0], patch: Record<string, unknown>, at: Date) =>
  applyParsedPatch(before, PatchTaskBody.parse(patch), at);
const types = (events: AnyEvent[]) => events.map((e) => e.type);
function plan(change: TaskChange) {
  const events = eventsFor(change, ctx);
  for (const e of events) AnyEvent.parse(e);
  return events;
}

describe("backend domain: which events a change produces", () => {
  it("when a task is created without a reminder, then only task.created", () => {
    assert.deepEqual(types(plan({ kind: "created", task: record().task })), ["task.created"]);
  });

  it("when a task is created with remindAt, then task.created then reminder.scheduled with the time and title", () => {
    const { task } = record({ remindAt: "2030-02-01T00:00:00Z" });
    const events = plan({ kind: "created", task });
    assert.deepEqual(types(events), ["task.created", "reminder.scheduled"]);
    assert.deepEqual(events[1]!.data, { taskId: task.id, remindAt: "2030-02-01T00:00:00.000Z", title: "t" });
    assert.ok(events.every((e) => e.subject === task.id && e.correlationId === "req-1"));
  });

  const patchCases: Array<[string, string | null, Record<string, unknown>, string[], string?]> = [
    ["the reminder is set", null, { remindAt: "2030-03-01T00:00:00Z" }, ["task.updated", "reminder.scheduled"]],
    ["the reminder moves", "2030-02-01T00:00:00Z", { remindAt: "2030-03-01T00:00:00Z" }, ["task.updated", "reminder.scheduled"]],
    ["the reminder is cleared", "2030-02-01T00:00:00Z", { remindAt: null }, ["task.updated", "reminder.cancelled"], "cleared"],
    ["only the description changes", "2030-02-01T00:00:00Z", { description: "more" }, ["task.updated"]],
    ["the title of a reminded task changes", "2030-02-01T00:00:00Z", { title: "new" }, ["task.updated", "reminder.scheduled"]],
    ["the title of a task without reminder changes", null, { title: "new" }, ["task.updated"]],
  ];
  for (const [what, remindAt, patch, expected, reason] of patchCases) {
    it(`when ${what}, then ${expected.join(" + ")}`, () => {
      const before = record({ remindAt });
      const { after, changes } = applyPatch(before, patch, later);
      const events = plan({ kind: "updated", before: before.task, after: after.task, changes });
      assert.deepEqual(types(events), expected);
      assert.deepEqual(events[0]!.type === "task.updated" && events[0]!.data.changes, Object.keys(patch));
      if (reason) assert.equal((events[1]!.data as { reason: string }).reason, reason);
    });
  }

  it("when a completed task's reminder is changed, then no reminder event (only pending tasks have reminders)", () => {
    const done = completeTask(record({ remindAt: "2030-02-01T00:00:00Z" }), now)!;
    const { after, changes } = applyPatch(done, { remindAt: "2030-04-01T00:00:00Z" }, later);
    assert.deepEqual(types(plan({ kind: "updated", before: done.task, after: after.task, changes })), ["task.updated"]);
  });

  it("when a completed task is reopened, then task.reopened, and its reminder is scheduled again if it has one", () => {
    const reminded = record({ remindAt: "2030-02-01T00:00:00Z" });
    const done = completeTask(reminded, now)!;
    const open = reopenTask(done, later)!;
    assert.deepEqual([open.task.status, open.task.completedAt, open.task.version], ["pending", null, done.task.version + 1]);
    const events = plan({ kind: "reopened", before: done.task, after: open.task });
    assert.deepEqual(types(events), ["task.reopened", "reminder.scheduled"]);
    assert.deepEqual(events[0]!.data, { task: open.task });
    assert.deepEqual(events[1]!.data, { taskId: open.task.id, remindAt: "2030-02-01T00:00:00.000Z", title: "t" });
    const plain = completeTask(record(), now)!;
    assert.deepEqual(types(plan({ kind: "reopened", before: plain.task, after: reopenTask(plain, later)!.task })), ["task.reopened"]);
    assert.equal(reopenTask(open, later), null, "reopening a pending task changes nothing");
  });

  it("when a task with a reminder is completed or deleted, then its reminder is cancelled with that reason", () => {
    const before = record({ remindAt: "2030-02-01T00:00:00Z" });
    const after = completeTask(before, later)!;
    const completed = plan({ kind: "completed", before: before.task, after: after.task });
    assert.deepEqual(types(completed), ["task.completed", "reminder.cancelled"]);
    assert.equal((completed[1]!.data as { reason: string }).reason, "completed");
    const deleted = plan({ kind: "deleted", task: before.task });
    assert.deepEqual(types(deleted), ["task.deleted", "reminder.cancelled"]);
    assert.equal((deleted[1]!.data as { reason: string }).reason, "deleted");
    assert.deepEqual(types(plan({ kind: "deleted", task: after.task })), ["task.deleted"], "a completed task has no reminder left");
    assert.deepEqual(types(plan({ kind: "deleted", task: record().task })), ["task.deleted"]);
  });
});

describe("backend domain: task changes", () => {
  it("when a patch repeats the current values, then nothing changes and the version stays", () => {
    const before = record({ title: "same", tags: ["a", "b"] });
    const { after, changes } = applyPatch(before, { title: "same", tags: ["a", "b"] }, later);
    assert.deepEqual(changes, []);
    assert.equal(after, before);
  });

  it("when a patch changes fields, then the version goes up by one and updatedAt moves", () => {
    const before = record();
    const { after, changes } = applyPatch(before, { priority: "high", tags: ["x"] }, later);
    assert.deepEqual(changes, ["priority", "tags"]);
    assert.equal(after.task.version, 2);
    assert.equal(after.task.updatedAt, later.toISOString());
    assert.equal(before.task.version, 1, "the input is not mutated");
  });

  it("when the first occurrence's dueAt moves, then the series start moves; a new rule starts a new series at this task", () => {
    const first = record({ dueAt: "2030-01-05T00:00:00Z", recurrence: "FREQ=DAILY" });
    assert.equal(applyPatch(first, { dueAt: "2030-01-06T00:00:00Z" }, later).after.seriesStart, "2030-01-06T00:00:00.000Z");
    const parent = completeTask(first, later)!;
    const p = parent.task;
    const second = nextOccurrence(
      { eventId: "e1", correlationId: "c", parentTaskId: p.id, userId: p.userId, title: p.title, description: p.description, priority: p.priority, tags: p.tags,
        recurrence: p.recurrence!, timeZone: parent.timeZone, seriesId: parent.seriesId, seriesStart: parent.seriesStart,
        seriesSlot: "2030-01-06T00:00:00.000Z", seriesIndex: 2, dueAt: "2030-01-06T00:00:00.000Z", remindAt: null },
      randomUUID(),
      later,
    );
    assert.equal(second.seriesIndex, 2);
    assert.equal(second.seriesId, first.task.id);
    assert.equal(second.task.seriesId, first.task.id, "the task shows its series");
    assert.equal(second.parentTaskId, first.task.id);
    const moved = applyPatch(second, { dueAt: "2030-01-09T00:00:00Z" }, later).after;
    assert.equal(moved.seriesStart, "2030-01-05T00:00:00.000Z");
    assert.equal(moved.seriesSlot, "2030-01-06T00:00:00.000Z", "moving a later occurrence keeps its slot (18.3)");
    const rerule = applyPatch(second, { recurrence: "FREQ=WEEKLY" }, later).after;
    assert.deepEqual([rerule.seriesId, rerule.seriesIndex, rerule.seriesStart], [second.task.id, 1, "2030-01-06T00:00:00.000Z"]);
  });

  it("when an occurrence is skipped, then the same task moves to the next slot with the next index; when the series is ended, then completing it marks the end", () => {
    const first = record({ dueAt: "2030-01-05T09:00:00Z", remindAt: "2030-01-05T08:45:00Z", recurrence: "FREQ=DAILY;COUNT=3", timeZone: "Europe/Berlin" });
    const skipped = skipOccurrence(first, new Date("2030-01-05T08:00:00Z"));
    assert.deepEqual([skipped.task.id, skipped.task.dueAt, skipped.task.remindAt, skipped.seriesIndex, skipped.task.status], [first.task.id, "2030-01-06T09:00:00.000Z", "2030-01-06T08:45:00.000Z", 2, "pending"]);
    const last = skipOccurrence(skipped, new Date("2030-01-06T08:00:00Z"));
    assert.throws(() => skipOccurrence(last, later), /no next occurrence \(count\)/);
    assert.equal(completeTask(last, later)!.seriesEnded, true, "COUNT=3 reached: the completed task shows the series ended");
    const ended = endSeries(first, later)!;
    assert.equal(ended.task.seriesEnded, true);
    assert.equal(endSeries(ended, later), null);
  });

  it("when a stored rule predates the strict parser and is refused by it, then completing ends the series and skipping is a 409", () => {
    const legacy = { ...record({ dueAt: "2030-01-05T09:00:00Z", recurrence: "FREQ=DAILY" }) };
    legacy.task = { ...legacy.task, recurrence: "FREQ=SECONDLY" };
    assert.equal(completeTask(legacy, later)!.seriesEnded, true);
    assert.throws(() => skipOccurrence(legacy, later), (e: { kind: string }) => e.kind === "conflict");
  });

  it("when a series never produces an occurrence or the zone is unknown, then it is a 400 naming the field", () => {
    assert.throws(() => record({ dueAt: "2030-01-05T09:00:00Z", recurrence: "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30" }), (e: { kind: string; field: string }) => e.kind === "invalid" && e.field === "recurrence");
    assert.throws(() => CreateTaskBody.parse({ title: "t", timeZone: "Mars/Olympus" }), /timeZone must be an IANA/);
    assert.equal(CreateTaskBody.parse({ title: "t", timeZone: "europe/berlin" }).timeZone, "Europe/Berlin");
  });

  it("when a completed task is completed again, then there is no change", () => {
    const done = completeTask(record(), now)!;
    assert.equal(done.task.status, "completed");
    assert.equal(done.task.version, 2);
    assert.equal(completeTask(done, later), null);
  });
});

describe("backend domain: input rules", () => {
  it("when an RRULE is valid, then it comes back canonical", () => {
    assert.equal(parseRecurrence("RRULE:freq=weekly;byday=mo,we"), "FREQ=WEEKLY;BYDAY=MO,WE");
    assert.equal(parseRecurrence("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=12"), "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=12");
    assert.equal(parseRecurrence("FREQ=DAILY;UNTIL=20301231T000000Z"), "FREQ=DAILY;UNTIL=20301231T000000Z");
  });

  for (const bad of ["", "garbage", "FREQ=FOO", "BYDAY=MO", "FREQ=DAILY;DTSTART=20300101T000000Z", "DTSTART:20300101T000000Z\nRRULE:FREQ=DAILY",
    "FREQ=DAILY;COUNT=0", "FREQ=DAILY;INTERVAL=x", "FREQ=DAILY;BYDAY=XX", "FREQ=DAILY;COUNT=2;UNTIL=20300101T000000Z", "FREQ=DAILY;FREQ=WEEKLY", "FREQ=DAILY;X-FOO=1"]) {
    it(`when the RRULE is ${JSON.stringify(bad)}, then it is refused`, () => {
      assert.throws(() => parseRecurrence(bad), RecurrenceError);
    });
  }

  it("when passwords are checked, then length and two character classes decide", () => {
    assert.ok(passwordProblem("short1A"));
    assert.ok(passwordProblem("alllowercaseletters"));
    assert.equal(passwordProblem("lowercase and spaces"), null);
    assert.equal(passwordProblem("lowercase123"), null);
  });

  it("when a password is hashed, then it verifies, a wrong one does not, and each hash has its own salt", async () => {
    const [a, b] = await Promise.all([hashPassword("s3cret password"), hashPassword("s3cret password")]);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword("s3cret password", a), true);
    assert.equal(await verifyPassword("s3cret passworD", a), false);
    assert.equal(await verifyPassword("anything", "not a hash"), false);
  });

  it("when a password is hashed, then the scrypt cost meets one of OWASP's minimum configurations (r = 8)", async () => {
    const m = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$/.exec(await hashPassword("s3cret password"));
    assert.ok(m, "hash names its parameters");
    const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.ok(r >= 8, `r=${r}`);
    // OWASP Password Storage Cheat Sheet: equal-strength minimums trading memory (N) for passes (p)
    const minimums = [[2 ** 17, 1], [2 ** 16, 2], [2 ** 15, 3], [2 ** 14, 5], [2 ** 13, 10]] as const;
    assert.ok(minimums.some(([n, pp]) => N >= n && p >= pp), `N=${N}, p=${p}`);
  });

  it("when a hash was stored with older or absurd parameters, then the older verifies and the absurd is refused without hashing", async () => {
    // "pw" under N=16384,r=8,p=1 (a weaker hash from before the cost was raised)
    const salt = Buffer.alloc(16, 1);
    const key = scryptSync("pw", salt, 32, { N: 16384, r: 8, p: 1 });
    const older = `scrypt$N=16384,r=8,p=1$${salt.toString("base64")}$${key.toString("base64")}`;
    assert.equal(await verifyPassword("pw", older), true);
    const absurd = `scrypt$N=1073741824,r=8,p=1$${salt.toString("base64")}$${key.toString("base64")}`;
    assert.equal(await verifyPassword("pw", absurd), false);
  });

  it("when a cursor round-trips, then it decodes to itself; tampered or foreign cursors are refused", () => {
    const id = randomUUID();
    const c = encodeCursor({ sort: "dueAt", order: "asc", value: null, id });
    assert.deepEqual(decodeCursor(c, "dueAt", "asc"), { sort: "dueAt", order: "asc", value: null, id });
    assert.match(String(decodeCursor(c, "dueAt", "desc")), /different sort/);
    assert.match(String(decodeCursor("!!!", "dueAt", "asc")), /malformed/);
    const wrongValue = encodeCursor({ sort: "priority", order: "asc", value: "high", id });
    assert.match(String(decodeCursor(wrongValue, "priority", "asc")), /malformed/);
  });

  it("when If-Match is given, then versions, weak tags and * match as HTTP says", () => {
    assert.equal(satisfies(parseIfMatch(undefined), 3), true);
    assert.equal(satisfies(parseIfMatch("*"), 3), true);
    assert.equal(satisfies(parseIfMatch('"2", W/"3"'), 3), true);
    assert.equal(satisfies(parseIfMatch('"2"'), 3), false);
    assert.throws(() => parseIfMatch("3"));
  });

  it("when times come with an offset, then they are stored as UTC; without one they are refused", () => {
    const parsed = CreateTaskBody.parse({ title: "t", dueAt: "2030-06-01T12:00:00-04:00" });
    assert.equal(parsed.dueAt, "2030-06-01T16:00:00.000Z");
    assert.equal(CreateTaskBody.safeParse({ title: "t", dueAt: "2030-06-01T12:00:00" }).success, false);
    const t: Task = record().task;
    assert.equal(t.priority, "medium");
  });
});
