import { Router } from "express";
import { cronBindings } from "@todo/contracts/topology";
import type { ReminderJobs } from "../reminder-jobs";

const binding = cronBindings.find((b) => b.appId === "reminder-scheduler")!;

/** The cron input binding (fires on every replica) POSTs here at each tick. */
export function sweepRouter(reminders: ReminderJobs): Router {
  const router = Router();
  router.post(`/${binding.name}`, async (_req, res) => {
    const rearmed = await reminders.sweep();
    res.json({ rearmed });
  });
  return router;
}
