import type pg from "pg";
import { PermanentEventError, type Logger, type TaskEvent } from "../../../shared/src";
import { InvalidRecurrenceError, nextOccurrence } from "../domain/next-occurrence";
import type { BackendTasksClient } from "../clients/backend-tasks";

export const RECURRENCE_CONSUMER = "recurrence";

/** What one delivery did about recurrence. */
export type RecurrenceOutcome = "not-recurring" | "series-ended" | "task-deleted" | "created" | "existed" | "already-done";

/**
 * On `task.completed` of a recurring task, has the backend create the next occurrence. Exactly once
 * is the backend's job (unique on the parent task), so concurrent replicas and redeliveries are safe;
 * the processed-event row here only spares the backend a second round trip for a redelivery.
 */
export class RecurringTaskConsumer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly backend: BackendTasksClient,
    private readonly log: Logger,
  ) {}

  async handle(event: TaskEvent): Promise<RecurrenceOutcome> {
    if (event.type !== "task.completed" || !event.data.task.recurrence) return "not-recurring";
    if (await this.alreadyDone(event.id)) return "already-done";
    const completed = event.data.task;

    const current = await this.backend.getTask(completed.id);
    // Completing a recurring task and then deleting it is ordinary use, not a poison event: the user
    // ended the series. Dead-lettering it would page an operator for nothing.
    if (!current) return this.seriesDeleted(completed.id, event.id);

    let next;
    try {
      next = nextOccurrence({
        recurrence: completed.recurrence!,
        seriesStart: current.series.start,
        dueAt: completed.dueAt,
        createdAt: completed.createdAt,
        remindAt: completed.remindAt,
        completedAt: completed.completedAt ?? event.time,
      });
    } catch (err) {
      if (err instanceof InvalidRecurrenceError) throw new PermanentEventError(err.message);
      throw err;
    }
    if (!next) {
      await this.markDone(event.id);
      this.log.info({ taskId: completed.id, eventId: event.id }, "series ended: no next occurrence");
      return "series-ended";
    }

    const result = await this.backend.createNextOccurrence(completed.id, { ...next, correlationId: event.correlationId });
    if (result === "task-not-found") return this.seriesDeleted(completed.id, event.id);
    // Reopened since, or not committed yet on the backend's side: worth another try later.
    if (result === "task-not-completed") throw new Error(`task ${completed.id} is not completed (409)`);
    await this.markDone(event.id);
    this.log.info({ taskId: completed.id, eventId: event.id, dueAt: next.dueAt, result }, "next occurrence");
    return result;
  }

  private async seriesDeleted(taskId: string, eventId: string): Promise<"task-deleted"> {
    await this.markDone(eventId);
    this.log.info({ taskId, eventId }, "task deleted since it was completed: the series ends");
    return "task-deleted";
  }

  private async alreadyDone(eventId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("SELECT 1 FROM processed_events WHERE consumer = $1 AND event_id = $2", [RECURRENCE_CONSUMER, eventId]);
    return (rowCount ?? 0) > 0;
  }

  private async markDone(eventId: string): Promise<void> {
    await this.pool.query("INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [RECURRENCE_CONSUMER, eventId]);
  }
}
