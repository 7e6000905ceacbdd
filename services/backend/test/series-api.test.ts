import assert from "node:assert/strict";
import { TaskCompleted } from "@todo/contracts/events";
import { TaskSchema } from "@todo/contracts/task";
import { stopTestDatabases } from "../../testing/database";
import { BackendHarness } from "./backend-harness";

describe("backend series API: time zone, skip, end-series, what task.completed carries", () => {
  let h: BackendHarness;
  let user: { token: string; id: string };

  before(async () => {
    h = await BackendHarness.start();
    user = await h.user();
  });
  after(async () => {
    await h?.stop();
    await stopTestDatabases();
  });

  const post = (path: string) => h.request("POST", path, { token: user.token });

  it("when a task is created with a zone, then it comes back canonical with its series fields; without one it is UTC", async () => {
    const t = TaskSchema.parse(await h.createTask(user.token, { title: "standup", dueAt: "2027-03-26T09:00:00+01:00", recurrence: "freq=daily", timeZone: "europe/berlin" }));
    assert.deepEqual(
      [t.recurrence, t.timeZone, t.seriesId, t.seriesIndex, t.seriesStart, t.seriesSlot, t.seriesEnded],
      ["FREQ=DAILY", "Europe/Berlin", t.id, 1, "2027-03-26T08:00:00.000Z", "2027-03-26T08:00:00.000Z", false],
    );
    assert.equal((await h.createTask(user.token, { title: "plain" })).timeZone, "UTC");
    const bad = await h.request("POST", "/api/tasks", { token: user.token, body: { title: "x", timeZone: "Mars/Olympus" } });
    assert.deepEqual([bad.status, bad.body.error.details[0].field], [400, "timeZone"]);
    const badPatch = await h.request("PATCH", `/api/tasks/${t.id}`, { token: user.token, body: { timeZone: "+01:00" } });
    assert.deepEqual([badPatch.status, badPatch.body.error.details[0].field], [400, "timeZone"]);
  });

  it("when a zone is given by its current IANA name, then the task keeps that name (Asia/Kolkata, not ICU's Asia/Calcutta)", async () => {
    for (const zone of ["Asia/Kolkata", "Europe/Kyiv", "Asia/Kathmandu"]) {
      const t = await h.createTask(user.token, { title: zone, dueAt: "2027-03-26T09:00:00Z", recurrence: "FREQ=DAILY", timeZone: zone });
      assert.equal(t.timeZone, zone);
    }
  });

  it("when a task's stored zone is unknown to this runtime, then completing it ends its series (no 500) and skipping is a 409", async () => {
    const t = await h.createTask(user.token, { title: "old zone", dueAt: "2030-01-07T10:00:00Z", recurrence: "FREQ=DAILY", timeZone: "Europe/Berlin" });
    // as if written next to another ICU that knew the name
    await h.sql.query("UPDATE backend.tasks SET time_zone = 'Mars/Olympus' WHERE id = $1", [t.id]);
    const skipped = await post(`/api/tasks/${t.id}/skip`);
    assert.equal(skipped.status, 409, JSON.stringify(skipped.body));
    const done = await post(`/api/tasks/${t.id}/complete`);
    assert.deepEqual([done.status, done.body.status, done.body.seriesEnded], [200, "completed", true]);
  });

  it("when a recurring task is completed, then task.completed carries its zone, slot, index and series", async () => {
    const t = await h.createTask(user.token, { title: "weekly", dueAt: "2026-12-07T20:00:00-08:00", recurrence: "FREQ=WEEKLY;BYDAY=MO", timeZone: "America/Los_Angeles" });
    assert.equal((await post(`/api/tasks/${t.id}/complete`)).status, 200);
    const { rows } = await h.sql.query("SELECT payload FROM backend.outbox WHERE task_id = $1 AND type = 'task.completed'", [t.id]);
    const e = TaskCompleted.parse(rows[0].payload);
    assert.deepEqual(
      [e.data.task.timeZone, e.data.task.seriesId, e.data.task.seriesIndex, e.data.task.seriesSlot, e.data.task.seriesEnded],
      ["America/Los_Angeles", t.id, 1, "2026-12-08T04:00:00.000Z", false],
    );
  });

  it("when an occurrence is skipped, then the same task moves to the next local slot with its reminder; a non-recurring task is 409", async () => {
    const t = await h.createTask(user.token, {
      title: "gym", dueAt: "2030-03-09T18:00:00-08:00", remindAt: "2030-03-09T17:30:00-08:00", recurrence: "FREQ=WEEKLY;BYDAY=SA", timeZone: "America/Los_Angeles",
    });
    const skipped = await post(`/api/tasks/${t.id}/skip`);
    assert.equal(skipped.status, 200);
    // 2030-03-10 is the US spring-forward: the next Saturday 18:00 is UTC-7
    assert.deepEqual(
      [skipped.body.id, skipped.body.status, skipped.body.dueAt, skipped.body.remindAt, skipped.body.seriesIndex, skipped.body.version],
      [t.id, "pending", "2030-03-17T01:00:00.000Z", "2030-03-17T00:30:00.000Z", 2, 2],
    );
    assert.equal(skipped.headers.get("etag"), '"2"');
    const plain = await h.createTask(user.token, { title: "once" });
    assert.equal((await post(`/api/tasks/${plain.id}/skip`)).status, 409);
    const other = await h.user();
    assert.equal((await h.request("POST", `/api/tasks/${t.id}/skip`, { token: other.token })).status, 404, "another user's task");
  });

  it("when the series is ended, then the task shows it, completing it says so on the event, and skipping is refused", async () => {
    const t = await h.createTask(user.token, { title: "course", dueAt: "2030-01-07T10:00:00Z", recurrence: "FREQ=WEEKLY" });
    const ended = await post(`/api/tasks/${t.id}/end-series`);
    assert.deepEqual([ended.status, ended.body.seriesEnded, ended.body.status, ended.body.recurrence], [200, true, "pending", "FREQ=WEEKLY"]);
    assert.equal((await post(`/api/tasks/${t.id}/skip`)).status, 409);
    await post(`/api/tasks/${t.id}/complete`);
    const { rows } = await h.sql.query("SELECT payload FROM backend.outbox WHERE task_id = $1 AND type = 'task.completed'", [t.id]);
    assert.equal(TaskCompleted.parse(rows[0].payload).data.task.seriesEnded, true);
  });

  it("when the last occurrence of a COUNT series is completed, then it shows the series ended", async () => {
    const t = await h.createTask(user.token, { title: "thrice", dueAt: "2030-01-07T10:00:00Z", recurrence: "FREQ=DAILY;COUNT=1" });
    const done = await post(`/api/tasks/${t.id}/complete`);
    assert.equal(done.body.seriesEnded, true);
  });
});
