import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { makeEvent } from "@todo/contracts/envelope";
import { type Task } from "@todo/contracts/task";
import type { RunningService } from "../../shared/src/http/run-service";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { configSchema } from "../src/config";
import { start } from "../src/reminder-scheduler-service";
import { reminderDueEventId } from "../src/domain/job-schedule";
import { FakeSidecar } from "./fake-sidecar";

const userId = randomUUID();

function task(id: string, remindAt: string | null, over: Partial<Task> = {}): Task {
  const now = new Date().toISOString();
  return {
    id,
    userId,
    title: "water the plants",
    description: "",
    status: "pending",
    priority: "medium",
    tags: [],
    dueAt: null,
    remindAt,
    recurrence: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    version: 1,
    ...over,
  };
}

let clock = Date.now();
/** Strictly increasing event times, as the backend's outbox writes them. */
const nextTime = () => new Date((clock = Math.max(clock + 1, Date.now())));

const scheduledEvent = (taskId: string, remindAt: string, time = nextTime()) =>
  makeEvent({ type: "reminder.scheduled", source: "backend", subject: taskId, userId, correlationId: "corr-1", time, data: { taskId, remindAt, title: "water the plants" } });
const cancelledEvent = (taskId: string, reason: "deleted" | "completed" | "cleared" = "deleted") =>
  makeEvent({ type: "reminder.cancelled", source: "backend", subject: taskId, userId, correlationId: "corr-2", time: nextTime(), data: { taskId, reason } });

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function until(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("reminder-scheduler service (real PostgreSQL, fake sidecar)", () => {
  let db: TestDatabase;
  let sidecar: FakeSidecar;
  let service: RunningService;
  let sql: pg.Pool;

  before(async () => {
    db = await createTestDatabase();
    sidecar = new FakeSidecar();
    await sidecar.start();
    const config = configSchema.parse({
      PORT: "0",
      HOST: "127.0.0.1",
      DAPR_HTTP_PORT: String(sidecar.port),
      DATABASE_URL: db.url,
      LOG_LEVEL: "silent",
      SHUTDOWN_TIMEOUT_S: "2",
      SWEEP_BATCH_SIZE: "50",
    });
    service = await start(config);
    sidecar.appUrl = service.url;
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  });

  after(async () => {
    await service?.stop();
    await sql?.end();
    await sidecar?.stop();
    await db?.stop();
  });

  beforeEach(() => {
    sidecar.failJobs = sidecar.failPublish = sidecar.failBackend = false;
  });

  async function deliver(event: unknown): Promise<string> {
    const res = await fetch(`${service.url}/events/reminders`, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(event) });
    assert.equal(res.status, 200);
    return ((await res.json()) as { status: string }).status;
  }
  async function row(taskId: string): Promise<{ state: string; remind_at: string | null; fired_at: string | null } | undefined> {
    return (await sql.query("SELECT state, remind_at, fired_at FROM reminder_scheduler.reminders WHERE task_id = $1", [taskId])).rows[0];
  }
  const dueFor = (taskId: string) => sidecar.reminderDue().filter((e) => e.subject === taskId);

  it("when account.deleted arrives, then the user's jobs and reminders are gone (a failing sidecar retries with every row kept), a repeat is harmless, and a late reminder.scheduled of that user arms nothing", async () => {
    const erasedUser = randomUUID(); // not the file's userId: the other tests keep theirs
    const scheduledFor = (user: string, taskId: string) =>
      makeEvent({ type: "reminder.scheduled", source: "backend", subject: taskId, userId: user, correlationId: "c", time: nextTime(), data: { taskId, remindAt: inMs(3_600_000), title: "t" } });
    const [t1, t2, otherTask] = [randomUUID(), randomUUID(), randomUUID()];
    await deliver(scheduledFor(erasedUser, t1));
    await deliver(scheduledFor(erasedUser, t2));
    await deliver(scheduledFor(userId, otherTask));
    const erased = makeEvent({ type: "account.deleted", source: "backend", subject: erasedUser, userId: erasedUser, correlationId: "c", data: { userId: erasedUser, deletedAt: new Date().toISOString() } });
    const deliverAccount = async (event: unknown) => {
      const res = await fetch(`${service.url}/events/accounts`, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(event) });
      return ((await res.json()) as { status: string }).status;
    };
    sidecar.failJobs = true;
    assert.equal(await deliverAccount(erased), "RETRY");
    assert.ok(await row(t1), "rolled back: the rows stay until the jobs are gone");
    sidecar.failJobs = false;
    assert.equal(await deliverAccount(erased), "SUCCESS");
    assert.equal(sidecar.jobs.has(`reminder-${t1}`), false);
    assert.equal(sidecar.jobs.has(`reminder-${t2}`), false);
    assert.equal(await row(t1), undefined);
    assert.equal(await row(t2), undefined);
    assert.ok(sidecar.jobs.has(`reminder-${otherTask}`), "another user's job stays");
    assert.equal(await deliverAccount(erased), "SUCCESS");

    const late = randomUUID();
    assert.equal(await deliver(scheduledFor(erasedUser, late)), "SUCCESS");
    assert.equal(sidecar.jobs.has(`reminder-${late}`), false);
    assert.equal(await row(late), undefined);
  });

  it("when reminder.scheduled arrives, then job reminder-<taskId> is scheduled at remindAt with overwrite, and a redelivery schedules nothing more", async () => {
    const taskId = randomUUID();
    const remindAt = new Date(Date.now() + 3_600_000).toISOString();
    const event = scheduledEvent(taskId, remindAt);
    assert.equal(await deliver(event), "SUCCESS");
    const job = sidecar.jobs.get(`reminder-${taskId}`);
    assert.ok(job, "job exists");
    assert.equal(job.dueTime, remindAt);
    assert.equal(job.overwrite, true);
    assert.deepEqual(job.data, { taskId, remindAt });
    assert.equal((await row(taskId))?.state, "scheduled");

    const calls = sidecar.jobCalls.length;
    assert.equal(await deliver(event), "SUCCESS");
    assert.equal(sidecar.jobCalls.length, calls, "no second scheduling for the same event id");
  });

  it("when a reminder is rescheduled, then the job is overwritten, only the new time fires, and a callback for the old time does nothing", async () => {
    const taskId = randomUUID();
    const oldAt = inMs(60_000);
    const newAt = inMs(400);
    await deliver(scheduledEvent(taskId, oldAt));
    sidecar.tasks.set(taskId, task(taskId, newAt));
    await deliver(scheduledEvent(taskId, newAt));
    assert.equal(sidecar.jobs.get(`reminder-${taskId}`)?.dueTime, newAt);

    await until("reminder.due", () => dueFor(taskId).length === 1);
    const [due] = dueFor(taskId);
    assert.equal(due!.type, "reminder.due");
    assert.equal(due!.id, reminderDueEventId(taskId, newAt));
    assert.ok(due!.type === "reminder.due" && due!.data.remindAt === newAt && Date.parse(due!.data.firedAt) >= Date.parse(newAt));
    assert.equal(due!.userId, userId);
    assert.equal(due!.correlationId, "corr-1");

    // The old job firing late (e.g. it raced the overwrite) is recognised as stale.
    const status = await sidecar.callJob(`reminder-${taskId}`, { taskId, remindAt: oldAt });
    assert.equal(status, 200);
    await pause(100);
    assert.equal(dueFor(taskId).length, 1);
    assert.equal((await row(taskId))?.state, "fired");
  });

  it("when an older reminder.scheduled is replayed after a newer one, then the newer time stays armed", async () => {
    const taskId = randomUUID();
    const older = scheduledEvent(taskId, inMs(10_000));
    const newerAt = inMs(20_000);
    await deliver(scheduledEvent(taskId, newerAt));
    assert.equal(await deliver(older), "SUCCESS");
    assert.equal(sidecar.jobs.get(`reminder-${taskId}`)?.dueTime, newerAt);
    assert.equal(new Date((await row(taskId))!.remind_at!).toISOString(), newerAt);
  });

  it("when a reminder is cancelled, then its job is deleted, a late callback publishes nothing, and a second cancel is harmless", async () => {
    const taskId = randomUUID();
    const remindAt = inMs(300);
    sidecar.tasks.set(taskId, task(taskId, remindAt));
    await deliver(scheduledEvent(taskId, remindAt));
    assert.equal(await deliver(cancelledEvent(taskId)), "SUCCESS");
    assert.equal(sidecar.jobs.has(`reminder-${taskId}`), false);
    assert.ok(sidecar.jobCalls.some((c) => c.method === "DELETE" && c.name === `reminder-${taskId}`));
    assert.equal((await row(taskId))?.state, "cancelled");

    await pause(500); // past remindAt: the deleted job must not have fired
    assert.equal(await sidecar.callJob(`reminder-${taskId}`, { taskId, remindAt }), 200);
    assert.equal(dueFor(taskId).length, 0);
    assert.equal(await deliver(cancelledEvent(taskId)), "SUCCESS");
  });

  it("when the same job fires twice (even concurrently), then exactly one reminder.due is published", async () => {
    const taskId = randomUUID();
    const remindAt = new Date(Date.now() - 10).toISOString();
    sidecar.tasks.set(taskId, task(taskId, remindAt));
    await deliver(scheduledEvent(taskId, remindAt));
    await until("first firing", () => dueFor(taskId).length === 1);
    const statuses = await Promise.all([1, 2, 3].map(() => sidecar.callJob(`reminder-${taskId}`, { taskId, remindAt })));
    assert.deepEqual(statuses, [200, 200, 200]);
    assert.equal(dueFor(taskId).length, 1);
  });

  it("when the task was completed meanwhile, then the callback publishes nothing and settles the reminder", async () => {
    const taskId = randomUUID();
    const remindAt = inMs(-5);
    await deliver(scheduledEvent(taskId, inMs(60_000)));
    await sql.query("UPDATE reminder_scheduler.reminders SET remind_at = $2 WHERE task_id = $1", [taskId, remindAt]);
    sidecar.tasks.set(taskId, task(taskId, remindAt, { status: "completed" }));
    assert.equal(await sidecar.callJob(`reminder-${taskId}`, { taskId, remindAt }), 200);
    assert.equal(dueFor(taskId).length, 0);
    assert.equal((await row(taskId))?.state, "cancelled");
  });

  it("when the sidecar fails to schedule, then the event is retried and the redelivery schedules the job", async () => {
    const taskId = randomUUID();
    const event = scheduledEvent(taskId, inMs(60_000));
    sidecar.failJobs = true;
    assert.equal(await deliver(event), "RETRY");
    assert.equal(await row(taskId), undefined, "nothing committed");
    sidecar.failJobs = false;
    assert.equal(await deliver(event), "SUCCESS");
    assert.ok(sidecar.jobs.has(`reminder-${taskId}`));
  });

  it("when publishing or the backend fails at firing time, then the callback answers 5xx and the retry publishes once", async () => {
    const taskId = randomUUID();
    const remindAt = inMs(60_000);
    await deliver(scheduledEvent(taskId, remindAt));
    await sql.query("UPDATE reminder_scheduler.reminders SET remind_at = now() - interval '1 second' WHERE task_id = $1", [taskId]);
    const past = new Date((await row(taskId))!.remind_at!).toISOString();
    sidecar.tasks.set(taskId, task(taskId, past));

    sidecar.failBackend = true;
    assert.ok((await sidecar.callJob(`reminder-${taskId}`, { taskId, remindAt: past })) >= 500);
    sidecar.failBackend = false;
    sidecar.failPublish = true;
    assert.ok((await sidecar.callJob(`reminder-${taskId}`, { taskId, remindAt: past })) >= 500);
    assert.equal((await row(taskId))?.state, "scheduled", "not fired before a successful publish");
    sidecar.failPublish = false;
    assert.equal(await sidecar.callJob(`reminder-${taskId}`, { taskId, remindAt: past }), 200);
    assert.equal(dueFor(taskId).length, 1);
    assert.equal((await row(taskId))?.state, "fired");
  });

  it("when a job was lost, then the sweep re-arms it at its time, and an overdue one fires now", async () => {
    const future = randomUUID();
    const overdue = randomUUID();
    const futureAt = inMs(3_600_000);
    await deliver(scheduledEvent(future, futureAt));
    await deliver(scheduledEvent(overdue, inMs(3_600_000)));
    await sql.query("UPDATE reminder_scheduler.reminders SET remind_at = now() - interval '5 seconds' WHERE task_id = $1", [overdue]);
    const overdueAt = new Date((await row(overdue))!.remind_at!).toISOString();
    sidecar.tasks.set(overdue, task(overdue, overdueAt));
    sidecar.jobs.clear(); // the scheduler lost everything (timers of the fake are replaced by the sweep)

    const res = await fetch(`${service.url}/reminder-sweep`, { method: "POST" });
    assert.equal(res.status, 200);
    assert.ok(((await res.json()) as { rearmed: number }).rearmed >= 2);
    assert.equal(sidecar.jobs.get(`reminder-${future}`)?.dueTime, futureAt);
    assert.equal(sidecar.jobCalls.filter((c) => c.name === `reminder-${future}`).at(-1)?.body?.overwrite, true);
    await until("overdue reminder fired by the sweep", () => dueFor(overdue).length === 1);
    // The publish is seen before the firing's transaction commits `fired`: wait for the commit.
    for (let i = 0; i < 100 && (await row(overdue))?.state !== "fired"; i++) await pause(20);
    assert.equal((await row(overdue))?.state, "fired");
    assert.equal(dueFor(overdue).length, 1);
  });

  it("when an event is invalid, then it is dropped; when it is reminder.due, then it is acknowledged and schedules nothing", async () => {
    assert.equal(await deliver({ type: "reminder.scheduled", id: "x" }), "DROP");
    const calls = sidecar.jobCalls.length;
    const taskId = randomUUID();
    const due = makeEvent({
      type: "reminder.due",
      source: "reminder-scheduler",
      subject: taskId,
      userId,
      correlationId: "c",
      data: { taskId, remindAt: inMs(0), title: "t", firedAt: inMs(0) },
    });
    assert.equal(await deliver(due), "SUCCESS");
    assert.equal(sidecar.jobCalls.length, calls);
  });

  it("when the database and the sidecar answer, then /readyz reports both ready", async () => {
    const res = await fetch(`${service.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { checks: unknown }).checks, { database: "ok", sidecar: "ok" });
  });

  it("when a job callback names no task id, then it is a 400 naming the field", async () => {
    const res = await fetch(`${service.url}/job/reminder-nope`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /taskId/);
  });
});
