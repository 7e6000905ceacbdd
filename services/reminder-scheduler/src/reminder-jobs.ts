import type pg from "pg";
import { inTransaction } from "../../shared/src/db/pool";
import { makeEvent } from "@todo/contracts/envelope";
import { type ReminderEvent } from "@todo/contracts/events";
import { oncePerEvent } from "../../shared/src/db/idempotency";
import { publishEvent } from "../../shared/src/dapr/publisher";
import type { HandleOutcome } from "../../shared/src/dapr/subscription-handler";
import type { JobsClient } from "../../shared/src/dapr/jobs";
import type { Logger } from "../../shared/src/telemetry/logger";
import type { SidecarAddress } from "../../shared/src/dapr/sidecar";
import { reminderLateness, remindersCancelled, remindersFired, remindersScheduled } from "../../shared/src/telemetry/reminder-metrics";
import { dueTimeFor, jobNameFor, readJobData, reminderDueEventId, sweepDueTime, type JobData } from "./domain/job-schedule";
import { decideFiring, onCancelled, onScheduled, preCheckFiring, type FiringDecision } from "./domain/reminder-state";
import { claimSweepBatch, lockReminder, lockTask, markCancelled, markFired, saveReminder } from "./data/reminders-repository";
import { lookUpTask } from "./task-lookup";
import { isErased } from "./account-erasure";

export const CONSUMER = "reminder-scheduler";

export interface ReminderJobsDeps {
  pool: pg.Pool;
  jobs: JobsClient;
  sidecar: SidecarAddress;
  log: Logger;
  sweepBatchSize: number;
  now?: () => Date;
}

/**
 * The reminder workflow: events arm and disarm one Dapr Job per task, the job callback re-checks the
 * task and publishes `reminder.due`, the sweep re-arms jobs that were lost. Every step runs in one
 * transaction holding the reminder's row lock, and the sidecar call happens before COMMIT, so a
 * failing sidecar rolls the row back and the delivery is retried.
 */
export class ReminderJobs {
  private readonly now: () => Date;

  constructor(private readonly deps: ReminderJobsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async handleEvent(event: ReminderEvent): Promise<HandleOutcome> {
    if (event.type === "reminder.due") return "success"; // our own output, consumed by notification/websocket
    const { pool, jobs } = this.deps;
    return oncePerEvent(pool, CONSUMER, event.id, async (db) => {
      const current = await lockTask(db, event.data.taskId);
      if (event.type === "reminder.scheduled" && (await isErased(db, event.userId))) {
        this.deps.log.info({ taskId: event.data.taskId, eventId: event.id }, "reminder.scheduled of an erased account ignored");
        return;
      }
      if (event.type === "reminder.scheduled") {
        const decision = onScheduled(current, { ...event.data, userId: event.userId, time: event.time, correlationId: event.correlationId });
        if (decision.kind === "ignore") {
          this.deps.log.info({ taskId: event.data.taskId, eventId: event.id, reason: decision.reason }, "reminder.scheduled ignored");
          return;
        }
        await saveReminder(db, decision.next);
        await jobs.schedule(jobNameFor(event.data.taskId), {
          dueTime: dueTimeFor(event.data.remindAt),
          data: { taskId: event.data.taskId, remindAt: event.data.remindAt } satisfies JobData,
          overwrite: true,
        });
        remindersScheduled.inc({ trigger: "event" });
      } else {
        const decision = onCancelled(current, { taskId: event.data.taskId, userId: event.userId, time: event.time, correlationId: event.correlationId });
        if (decision.kind === "ignore") {
          this.deps.log.info({ taskId: event.data.taskId, eventId: event.id, reason: decision.reason }, "reminder.cancelled ignored");
          return;
        }
        await saveReminder(db, decision.next);
        await jobs.delete(jobNameFor(event.data.taskId));
        remindersCancelled.inc({ reason: event.data.reason });
      }
    });
  }

  /**
   * The Jobs callback. Publishes `reminder.due` at most once per (task, remindAt) in effect: the row lock
   * makes concurrent firings wait, `fired` is written after the publish succeeded, and should COMMIT
   * fail after the publish, the retry publishes the same deterministic event id again.
   */
  async fire(taskId: string, callbackBody: unknown): Promise<FiringDecision> {
    const job = readJobData(callbackBody);
    const decision = await inTransaction(this.deps.pool, async (db) => {
      const row = await lockReminder(db, taskId);
      const early = preCheckFiring(row, job, this.now());
      if (early) return early;
      const task = await lookUpTask(this.deps.sidecar, taskId);
      const d = decideFiring(row, job, task, this.now());
      if (d.kind === "stale" && d.settle) await markCancelled(db, taskId);
      if (d.kind !== "publish") return d;
      const firedAt = this.now();
      const event = makeEvent({
        type: "reminder.due",
        id: reminderDueEventId(taskId, d.remindAt),
        source: CONSUMER,
        subject: taskId,
        userId: row!.userId,
        correlationId: row!.correlationId,
        time: firedAt,
        data: { taskId, remindAt: dueTimeFor(d.remindAt), title: task!.title, firedAt: firedAt.toISOString() },
      });
      await publishEvent(this.deps.sidecar, event);
      await markFired(db, taskId, firedAt.toISOString());
      reminderLateness.observe(Math.max(0, (firedAt.getTime() - Date.parse(d.remindAt)) / 1000));
      return d;
    });
    remindersFired.inc({ result: decision.kind === "publish" ? "published" : decision.kind });
    this.deps.log.info({ taskId, result: decision.kind, reason: "reason" in decision ? decision.reason : undefined }, "reminder job fired");
    return decision;
  }

  /**
   * Safety net for jobs the scheduler lost: re-arms (overwrite) a bounded batch of still-scheduled
   * reminders, least recently swept first; an overdue one fires now.
   */
  async sweep(): Promise<number> {
    const now = this.now();
    return inTransaction(this.deps.pool, async (db) => {
      const batch = await claimSweepBatch(db, this.deps.sweepBatchSize);
      for (const r of batch) {
        await this.deps.jobs.schedule(jobNameFor(r.taskId), {
          dueTime: sweepDueTime(r.remindAt!, now),
          data: { taskId: r.taskId, remindAt: r.remindAt! } satisfies JobData,
          overwrite: true,
        });
        remindersScheduled.inc({ trigger: "sweep" });
      }
      return batch.length;
    });
  }
}
