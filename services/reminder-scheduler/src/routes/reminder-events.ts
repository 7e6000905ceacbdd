import { Router } from "express";
import { ReminderEvent, subscriptionHandler, subscriptions, type Logger } from "../../../shared/src";
import { CONSUMER, type ReminderJobs } from "../reminder-jobs";

const route = subscriptions.find((s) => s.appId === "reminder-scheduler" && s.topic === "reminders")!.route;

/** Dapr delivers the `reminders` topic here (declarative Subscription rendered from topology.ts). */
export function reminderEventsRouter(reminders: ReminderJobs, log: Logger): Router {
  const router = Router();
  router.post(route, subscriptionHandler({ consumer: CONSUMER, schema: ReminderEvent, log, handle: (e) => reminders.handleEvent(e) }));
  return router;
}
