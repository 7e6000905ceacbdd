import { Router } from "express";
import type pg from "pg";
import { AccountEvent, ReminderEvent, subscriptionHandler, subscriptions, type Logger } from "../../../shared/src";
import { ACCOUNT_ERASURE_CONSUMER, eraseAccount } from "../consumers/account-erasure-consumer";
import { NOTIFICATION_CONSUMER, type ReminderConsumer } from "../consumers/reminder-consumer";

const accountsRoute = subscriptions.find((s) => s.appId === "notification" && s.topic === "accounts")!.route;

export function remindersRouter(deps: { consumer: ReminderConsumer; log: Logger; pool: pg.Pool }): Router {
  const router = Router();
  router.post(
    "/events/reminders",
    subscriptionHandler({ consumer: NOTIFICATION_CONSUMER, schema: ReminderEvent, log: deps.log, handle: (event) => deps.consumer.handle(event) }),
  );
  // account.deleted: the user's notifications go
  router.post(
    accountsRoute,
    subscriptionHandler({ consumer: ACCOUNT_ERASURE_CONSUMER, schema: AccountEvent, log: deps.log, handle: (event) => eraseAccount(deps.pool, event) }),
  );
  return router;
}
