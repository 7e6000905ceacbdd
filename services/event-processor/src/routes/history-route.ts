import { Router } from "express";
import { z } from "zod";
import { notFound, parse } from "../../../shared/src";
import { taskHistory } from "../data/audit-store";
import type pg from "pg";

const Params = z.object({ id: z.uuid() });
const Query = z.object({ userId: z.uuid() });

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
  return router;
}
