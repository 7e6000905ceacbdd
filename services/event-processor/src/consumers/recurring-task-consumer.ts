import type pg from "pg";
import { PermanentEventError } from "../../../shared/src/dapr/subscription-handler";
import type { Logger } from "../../../shared/src/telemetry/logger";
import type { TaskEvent } from "@todo/contracts/events";
import { nextOccurrence, RecurrenceError } from "../../../shared/src/recurrence";
import type { BackendTasksClient } from "../clients/backend-tasks";
import { seriesEnds } from "../telemetry/series-metrics";

export const RECURRENCE_CONSUMER = "recurrence";

/** What one delivery did about recurrence. */
export type RecurrenceOutcome = "not-recurring" | "series-ended" | "owner-gone" | "created" | "existed" | "already-done";

/**
 * On `task.completed` of a recurring task, computes the next occurrence from the event alone (it
 * carries the task and its series) and has the backend create it with ONE invocation keyed by the
 * event id — exactly once there, and delete-safe: the completed task may be gone (or reopened) by
 * now, the next occurrence is created all the same (issue 18.1). The processed-event row here only spares the
 * backend a second round trip for a redelivery.
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
    const t = event.data.task;
    // Events written before the series fields existed: the task was its series' first occurrence in UTC.
    const series = {
      recurrence: t.recurrence!,
      timeZone: t.timeZone ?? "UTC",
      seriesId: t.seriesId ?? t.id,
      seriesStart: t.seriesStart ?? t.dueAt ?? t.createdAt,
      seriesSlot: t.seriesSlot ?? t.dueAt ?? t.createdAt,
      seriesIndex: t.seriesIndex ?? 1,
      seriesEnded: t.seriesEnded ?? false,
    };

    let next;
    try {
      next = nextOccurrence({ ...series, dueAt: t.dueAt, remindAt: t.remindAt, completedAt: t.completedAt ?? event.time });
    } catch (err) {
      if (err instanceof RecurrenceError) throw new PermanentEventError(err.message);
      throw err;
    }
    if ("ended" in next) {
      await this.markDone(event.id);
      seriesEnds.inc({ reason: next.ended });
      this.log.info({ taskId: t.id, eventId: event.id, reason: next.ended }, "series ended: no next occurrence");
      return "series-ended";
    }

    const result = await this.backend.createNextOccurrence({
      eventId: event.id,
      correlationId: event.correlationId,
      parentTaskId: t.id,
      parentVersion: t.version,
      userId: t.userId,
      title: t.title,
      description: t.description,
      priority: t.priority,
      tags: t.tags,
      recurrence: series.recurrence,
      timeZone: series.timeZone,
      seriesId: series.seriesId,
      seriesStart: series.seriesStart,
      ...next,
    });
    // The backend never had this completion: nothing a later attempt could change, kept visible as a
    // retried and then dead-lettered event (docs/RELIABILITY.md's poison event).
    if (result === "never-completed") throw new Error(`task ${t.id} was never completed at version ${t.version} (409)`);
    await this.markDone(event.id);
    if (result === "gone") {
      this.log.info({ taskId: t.id, eventId: event.id }, "the task's owner is gone: the series ends");
      return "owner-gone";
    }
    this.log.info({ taskId: t.id, eventId: event.id, dueAt: next.dueAt, result }, "next occurrence");
    return result;
  }

  private async alreadyDone(eventId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("SELECT 1 FROM processed_events WHERE consumer = $1 AND event_id = $2", [RECURRENCE_CONSUMER, eventId]);
    return (rowCount ?? 0) > 0;
  }

  private async markDone(eventId: string): Promise<void> {
    await this.pool.query("INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [RECURRENCE_CONSUMER, eventId]);
  }
}
