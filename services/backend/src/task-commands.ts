import { randomUUID } from "node:crypto";
import type pg from "pg";
import { badRequest, conflict, HttpError, notFound, preconditionFailed, unauthorized } from "../../shared/src/http/errors";
import { inTransaction } from "../../shared/src/db/pool";
import type { Task } from "@todo/contracts/task";
import { taskOperations } from "../../shared/src/telemetry/task-metrics";
import { recordTombstone } from "./data/change-feed";
import { appendToOutbox } from "./data/outbox";
import { quotaExceeded } from "./data/task-quota";
import { deleteTask, findTask, insertOccurrenceOnce, insertTaskWithEvents, recountTasks, stateOf, updateTask } from "./data/tasks";
import { satisfies, type IfMatch } from "./domain/if-match";
import { applyPatch, completeTask, endSeries, newTask, nextOccurrence, patchConflict, reopenTask, SeriesRefusal, skipOccurrence } from "./domain/task-changes";
import { eventsFor, type TaskChange } from "./domain/task-events";
import type { CreateTaskInput, NextOccurrenceInput, TaskPatch } from "./domain/task-input";
import type { TaskRecord } from "./domain/task-record";

export const EVENT_SOURCE = "backend";

/** A token outliving its erased account (DELETE /api/account): the user row is gone. */
const accountGone = () => unauthorized("the account no longer exists");

/** A domain refusal of a series change as the HTTP error the API answers. */
function answered<T>(decide: () => T): T {
  try {
    return decide();
  } catch (err) {
    if (!(err instanceof SeriesRefusal)) throw err;
    throw err.kind === "invalid" ? badRequest(err.message, [{ field: err.field, message: err.message }]) : conflict(err.message);
  }
}

export interface CommandContext {
  userId: string;
  correlationId: string;
  ifMatch?: IfMatch | null;
}

/**
 * Every task state change: the row and its outbox events in one transaction, then a kick to the relay
 * so the events leave right after the commit.
 */
export class TaskCommands {
  constructor(
    private readonly db: pg.Pool,
    private readonly afterCommit: () => void,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A new task, refused with 403 quota_exceeded while the user holds `quota` tasks. */
  async create(input: CreateTaskInput, ctx: CommandContext, quota: number): Promise<Task> {
    const rec = answered(() => newTask(input, { id: randomUUID(), userId: ctx.userId }, this.clock()));
    try {
      const events = eventsFor({ kind: "created", task: rec.task }, this.eventContext(ctx.correlationId));
      let outcome = await insertTaskWithEvents(this.db, rec, events, quota);
      // a refusal is checked against the rows themselves once: a counter that drifted up is repaired
      if (outcome === "quota" && (await recountTasks(this.db, ctx.userId))) outcome = await insertTaskWithEvents(this.db, rec, events, quota);
      if (outcome === "quota") throw quotaExceeded(quota);
      if (outcome === "no-user") throw accountGone();
    } catch (err) {
      // the account was erased between the count and the insert's foreign-key check
      if ((err as { code?: string }).code === "23503") throw accountGone();
      throw err;
    }
    this.committed("create");
    return rec.task;
  }

  async update(id: string, patch: TaskPatch, ctx: CommandContext): Promise<Task> {
    return this.change(id, ctx, "update", (before) => {
      const refused = patchConflict(before, patch);
      if (refused) throw new HttpError(409, "conflict", refused.message, [refused]);
      const { after, changes } = applyPatch(before, patch, this.clock());
      if (changes.length === 0) return null;
      return { after, change: { kind: "updated", before: before.task, after: after.task, changes } };
    });
  }

  async complete(id: string, ctx: CommandContext): Promise<Task> {
    return this.change(id, ctx, "complete", (before) => {
      const after = completeTask(before, this.clock());
      return after && { after, change: { kind: "completed", before: before.task, after: after.task } };
    });
  }

  async reopen(id: string, ctx: CommandContext): Promise<Task> {
    return this.change(id, ctx, "reopen", (before) => {
      const after = reopenTask(before, this.clock());
      return after && { after, change: { kind: "reopened", before: before.task, after: after.task } };
    });
  }

  async remove(id: string, ctx: CommandContext): Promise<void> {
    await inTransaction(this.db, async (c) => {
      const before = await this.lockOwned(c, id, ctx);
      await deleteTask(c, id);
      // the change feed tells offline clients about the deletion (data/change-feed.ts)
      await recordTombstone(c, id, ctx.userId, this.clock().toISOString());
      await appendToOutbox(c, eventsFor({ kind: "deleted", task: before.task }, this.eventContext(ctx.correlationId)));
    });
    this.committed("delete");
  }

  /** Skip this occurrence: the task moves to the series' next slot (see skipOccurrence). */
  async skip(id: string, ctx: CommandContext): Promise<Task> {
    return this.change(id, ctx, "skip", (before) => {
      const after = skipOccurrence(before, this.clock());
      const changes = ["dueAt", ...(after.task.remindAt !== before.task.remindAt ? ["remindAt"] : []), "seriesSlot", "seriesIndex"];
      return { after, change: { kind: "updated", before: before.task, after: after.task, changes } };
    });
  }

  /** End the series at this occurrence: no next occurrence will be created. */
  async endSeries(id: string, ctx: CommandContext): Promise<Task> {
    return this.change(id, ctx, "end_series", (before) => {
      const after = endSeries(before, this.clock());
      return after && { after, change: { kind: "updated", before: before.task, after: after.task, changes: ["seriesEnded"] } };
    });
  }

  /**
   * Creates the occurrence a `task.completed` event asked for, exactly once per event (UNIQUE
   * created_by_event), from the event's own copy of the series: it exists even when the completed
   * task was deleted right after (issue 18.1), and when it was reopened before the event arrived: a
   * committed completion has its next occurrence whatever happens to the task afterwards, so untick
   * right after a tick gives the same series as untick a second later ("reopening neither creates nor
   * deletes occurrences", README). `created` is false when that event — or an earlier completion of
   * the same parent (UNIQUE parent_task_id) — created it before. A parent pending at or before the
   * event's version never had that completion (the completion and its event commit together, and a
   * reopen raises the version): a 409.
   */
  async createNextOccurrence(input: NextOccurrenceInput): Promise<{ task: Task; created: boolean }> {
    const parent = await stateOf(this.db, input.parentTaskId);
    if (parent?.status === "pending" && input.parentVersion !== undefined && parent.version <= input.parentVersion) {
      throw conflict(`task was never completed at version ${input.parentVersion}`);
    }
    const rec = nextOccurrence(input, randomUUID(), this.clock());
    const events = eventsFor({ kind: "created", task: rec.task }, this.eventContext(input.correlationId));
    const result = await insertOccurrenceOnce(this.db, rec, input.eventId, events);
    if (result.ownerGone) throw notFound("user");
    if (result.created) this.committed("next_occurrence");
    return { task: result.rec.task, created: result.created };
  }

  private async change(
    id: string,
    ctx: CommandContext,
    operation: "update" | "complete" | "reopen" | "skip" | "end_series",
    decide: (before: TaskRecord) => { after: TaskRecord; change: TaskChange } | null,
  ): Promise<Task> {
    const result = await inTransaction(this.db, async (c) => {
      const before = await this.lockOwned(c, id, ctx);
      const decided = answered(() => decide(before));
      if (!decided) return { task: before.task, changed: false };
      await updateTask(c, decided.after);
      await appendToOutbox(c, eventsFor(decided.change, this.eventContext(ctx.correlationId)));
      return { task: decided.after.task, changed: true };
    });
    if (result.changed) this.committed(operation);
    return result.task;
  }

  private async lockOwned(c: pg.PoolClient, id: string, ctx: CommandContext): Promise<TaskRecord> {
    const before = await findTask(c, id, { userId: ctx.userId, lock: true });
    if (!before) throw notFound("task");
    if (!satisfies(ctx.ifMatch ?? null, before.task.version)) {
      throw preconditionFailed("the task has changed since you read it", { currentVersion: before.task.version });
    }
    return before;
  }

  private committed(operation: string) {
    taskOperations.inc({ operation });
    this.afterCommit();
  }

  private eventContext(correlationId: string) {
    return { source: EVENT_SOURCE, correlationId, time: this.clock() };
  }
}
