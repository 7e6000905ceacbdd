import { Router } from "express";
import { ReminderEvent, subscriptionHandler, type Logger } from "../../../shared/src";
import { NOTIFICATION_CONSUMER, type ReminderConsumer } from "../consumers/reminder-consumer";

export function remindersRouter(deps: { consumer: ReminderConsumer; log: Logger }): Router {
  const router = Router();
  router.post(
    "/events/reminders",
    subscriptionHandler({ consumer: NOTIFICATION_CONSUMER, schema: ReminderEvent, log: deps.log, handle: (event) => deps.consumer.handle(event) }),
  );
  return router;
}
