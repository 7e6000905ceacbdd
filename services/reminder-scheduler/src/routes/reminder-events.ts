import { Router } from "express";
import type pg from "pg";
import { AccountEvent, ReminderEvent } from "@todo/contracts/events";
import { subscriptionHandler } from "../../../shared/src/dapr/subscription-handler";
import type { JobsClient } from "../../../shared/src/dapr/jobs";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { subscriptionRoute, topics } from "@todo/contracts/topology";
import { ACCOUNT_ERASURE_CONSUMER, eraseAccount } from "../account-erasure";
import { CONSUMER, type ReminderJobs } from "../reminder-jobs";

const route = subscriptionRoute("reminder-scheduler", topics.reminders);
const accountsRoute = subscriptionRoute("reminder-scheduler", topics.accounts);

/** Dapr delivers the `reminders` topic here (declarative Subscription rendered from topology.ts). */
export function reminderEventsRouter(reminders: ReminderJobs, log: Logger, erasure: { pool: pg.Pool; jobs: JobsClient }): Router {
  const router = Router();
  router.post(route, subscriptionHandler({ consumer: CONSUMER, schema: ReminderEvent, log, handle: (e) => reminders.handleEvent(e) }));
  // account.deleted: the user's reminders and their jobs go
  router.post(accountsRoute, subscriptionHandler({ consumer: ACCOUNT_ERASURE_CONSUMER, schema: AccountEvent, log, handle: (e) => eraseAccount(erasure, e) }));
  return router;
}
