import { Router } from "express";
import { z } from "zod";
import { notFound, parse } from "../../../shared/src/http/errors";
import { historyOfTasks, taskHistory } from "../data/audit-store";
import type pg from "pg";

const Params = z.object({ id: z.uuid() });
const Query = z.object({ userId: z.uuid() });
/** An export page: at most as many tasks as the backend's export page holds. */
const BatchBody = z.strictObject({ userId: z.uuid(), taskIds: z.array(z.uuid()).max(500) });

/**
 * The audit trail of one task for its owner, fronted by the backend as `GET /api/tasks/:id/history`.
 * Someone with no rows for the task gets the same 404 as for an unknown task.
 */
export function historyRouter(deps: { pool: pg.Pool }): Router {
  const router = Router();
  router.get("/internal/tasks/:id/history", async (req, res) => {
    const { id } = parse(Params, req.params, "params");
    const { userId } = parse(Query, req.query, "query");
    const items = await taskHistory(deps.pool, id, userId);
    if (items.length === 0) throw notFound("task history");
    res.json({ items });
  });

  // The backend's `GET /api/export`: the trails of one page of the user's tasks, keyed by task id.
  router.post("/internal/history/batch", async (req, res) => {
    const { userId, taskIds } = parse(BatchBody, req.body);
    res.json({ items: await historyOfTasks(deps.pool, userId, taskIds) });
  });
  return router;
}
