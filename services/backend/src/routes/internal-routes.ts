import { Router } from "express";
import type pg from "pg";
import { notFound, parse } from "../../../shared/src/http/errors";
import { findTask } from "../data/tasks";
import { NextOccurrenceBody } from "../domain/task-input";
import type { TaskCommands } from "../task-commands";
import { taskIdOf } from "./task-id";

/**
 * Reached only through Dapr service invocation (`invokeService(cfg, "backend", "internal/...")`), never
 * through the ingress, which routes only `/api`. The event-processor creates next occurrences through them.
 */
export function internalRoutes(db: pg.Pool, commands: TaskCommands): Router {
  const router = Router();

  router.get("/internal/tasks/:id", async (req, res) => {
    const found = await findTask(db, taskIdOf(req));
    if (!found) throw notFound("task");
    res.json({ task: found.task, series: { id: found.seriesId, start: found.seriesStart, index: found.seriesIndex } });
  });

  // One call per completion (issue 15.4): the body carries the whole series, keyed by the event id.
  router.post("/internal/tasks/next-occurrence", async (req, res) => {
    const input = parse(NextOccurrenceBody, req.body);
    const { task, created } = await commands.createNextOccurrence(input);
    res.status(created ? 201 : 200).json({ task });
  });

  return router;
}
