import { Router } from "express";
import { subscriptionHandler } from "../../../shared/src/dapr/subscription-handler";
import { TaskEvent } from "@todo/contracts/events";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { subscriptionRoute, topics } from "@todo/contracts/topology";
import type { AuditConsumer } from "../consumers/audit-consumer";
import type { RecurringTaskConsumer } from "../consumers/recurring-task-consumer";

/** Consumer label on the event metrics: one delivery, one outcome, whatever the consumers inside did. */
export const TASK_EVENTS_CONSUMER = "event-processor";

/**
 * `task-events` → both consumers, in order. The audit row commits first in its own transaction, so a
 * RETRY caused by the backend re-runs only the recurrence (the audit sees a duplicate); the recurrence
 * is idempotent through the backend. A delivery that changed nothing is counted as a duplicate.
 */
export function taskEventsRouter(deps: { audit: AuditConsumer; recurrence: RecurringTaskConsumer; log: Logger }): Router {
  const router = Router();
  router.post(
    subscriptionRoute("event-processor", topics.taskEvents),
    subscriptionHandler({
      consumer: TASK_EVENTS_CONSUMER,
      schema: TaskEvent,
      log: deps.log,
      handle: async (event) => {
        const audited = await deps.audit.handle(event);
        const recurrence = await deps.recurrence.handle(event);
        const changedSomething = audited === "success" || recurrence === "created" || recurrence === "series-ended" || recurrence === "owner-gone";
        return changedSomething ? "success" : "duplicate";
      },
    }),
  );
  return router;
}
