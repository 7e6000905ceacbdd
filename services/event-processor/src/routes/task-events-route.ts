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
 * `task-events` → both consumers at once: the next occurrence does not wait for the audit row's
 * transaction (it is on the path from a completion to the new task's frame). Each is idempotent on its
 * own — the audit by the event id in its own transaction, the recurrence through the backend — and the
 * answer waits for both, so a RETRY re-runs only what did not finish (the other sees a duplicate). The
 * first failure decides the answer (a PermanentEventError drops). A delivery that changed nothing is
 * counted as a duplicate.
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
        const [auditResult, recurrenceResult] = await Promise.allSettled([deps.audit.handle(event), deps.recurrence.handle(event)]);
        if (auditResult.status === "rejected") throw auditResult.reason;
        if (recurrenceResult.status === "rejected") throw recurrenceResult.reason;
        const [audited, recurrence] = [auditResult.value, recurrenceResult.value];
        const changedSomething = audited === "success" || recurrence === "created" || recurrence === "series-ended" || recurrence === "owner-gone";
        return changedSomething ? "success" : "duplicate";
      },
    }),
  );
  return router;
}
