import { Router } from "express";
import type pg from "pg";
import { AccountEvent, ReminderEvent } from "@todo/contracts/events";
import { subscriptionHandler } from "../../../shared/src/dapr/subscription-handler";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { subscriptionRoute, topics } from "@todo/contracts/topology";
import { ACCOUNT_ERASURE_CONSUMER, eraseAccount } from "../consumers/account-erasure-consumer";
import { NOTIFICATION_CONSUMER, type ReminderConsumer } from "../consumers/reminder-consumer";

const remindersRoute = subscriptionRoute("notification", topics.reminders);
const accountsRoute = subscriptionRoute("notification", topics.accounts);

export function remindersRouter(deps: { consumer: ReminderConsumer; log: Logger; pool: pg.Pool }): Router {
  const router = Router();
  router.post(
    remindersRoute,
    subscriptionHandler({ consumer: NOTIFICATION_CONSUMER, schema: ReminderEvent, log: deps.log, handle: (event) => deps.consumer.handle(event) }),
  );
  // account.deleted: the user's notifications go
  router.post(
    accountsRoute,
    subscriptionHandler({ consumer: ACCOUNT_ERASURE_CONSUMER, schema: AccountEvent, log: deps.log, handle: (event) => eraseAccount(deps.pool, event) }),
  );
  return router;
}
