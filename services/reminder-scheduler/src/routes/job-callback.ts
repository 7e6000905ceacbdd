import { Router } from "express";
import { z } from "zod";
import { parse } from "../../../shared/src/http/errors";
import type { ReminderJobs } from "../reminder-jobs";

const Params = z.object({ taskId: z.uuid() });

/**
 * The Dapr Jobs callback for job `reminder-<taskId>`. 200 whenever the firing was handled (published,
 * stale or duplicate); an error (backend or broker unreachable) becomes a 5xx and the sidecar retries.
 */
export function jobCallbackRouter(reminders: ReminderJobs): Router {
  const router = Router();
  router.post("/job/reminder-:taskId", async (req, res) => {
    const { taskId } = parse(Params, req.params, "params");
    const decision = await reminders.fire(taskId, req.body);
    res.json({ result: decision.kind });
  });
  return router;
}
