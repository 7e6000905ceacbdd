import { Router } from "express";
import type pg from "pg";
import { z } from "zod";
import { currentUser, requireUser } from "../../../shared/src/auth/require-user";
import { historyItemOf, orderHistory, type HistoryItem } from "@todo/contracts/history";
import { TaskEvent } from "@todo/contracts/events";
import { HttpError, notFound } from "../../../shared/src/http/errors";
import { invokeService } from "../../../shared/src/dapr/invoke";
import type { SidecarAddress } from "../../../shared/src/dapr/sidecar";
import type { TokenService } from "../../../shared/src/auth/tokens";
import { outboxTaskEvents } from "../data/outbox";
import { findTask } from "../data/tasks";
import { taskIdOf } from "./task-id";

/**
 * `GET /api/tasks/:id/history`: the audit trail lives in the event-processor; the backend authenticates
 * the caller and relays the answer, so the ingress needs one prefix for the API.
 *
 * Read-your-writes: the audit trail records an event only after the relay published it and the
 * event-processor consumed it. The backend merges in the task's events still in its outbox (built into
 * history lines by the same `historyItemOf` the audit uses, deduplicated by event id), so a change the
 * API confirmed is in the history at once. An existing task never answers 404 (at worst an empty list).
 */
export function historyRoutes(sidecar: SidecarAddress, tokens: TokenService, db: pg.Pool): Router {
  const router = Router();
  router.get("/api/tasks/:id/history", requireUser(tokens), async (req, res) => {
    const id = taskIdOf(req);
    const userId = currentUser(req).id;
    // read the outbox first: an event that leaves it afterwards is in the audit by the time we ask
    const [task, pending] = await Promise.all([findTask(db, id, { userId }), outboxTaskEvents(db, id, userId)]);
    let answer;
    try {
      answer = await invokeService(sidecar, "event-processor", `internal/tasks/${id}/history?userId=${encodeURIComponent(userId)}`, {
        headers: { "x-request-id": req.id },
      });
    } catch (err) {
      req.log.warn({ err: err instanceof Error ? err.message : String(err) }, "history invocation failed");
      throw unavailable();
    }
    if (answer.status >= 500) throw unavailable({ upstreamStatus: answer.status });
    if (answer.status !== 200 && answer.status !== 404) {
      res.status(answer.status).json(answer.body);
      return;
    }
    let audited: HistoryItem[] = [];
    if (answer.status === 200) {
      const parsed = AuditAnswer.safeParse(answer.body);
      if (!parsed.success) throw unavailable({ upstream: "event-processor answered an unreadable history" });
      // checked where the merge relies on it; the rest is the event-processor's, relayed as it is
      audited = parsed.data.items as unknown as HistoryItem[];
    }
    const seen = new Set(audited.map((i) => i.eventId));
    const unaudited: HistoryItem[] = [];
    for (const payload of pending) {
      const event = TaskEvent.safeParse(payload);
      if (event.success && !seen.has(event.data.id)) unaudited.push(historyItemOf(event.data));
    }
    if (!task && audited.length === 0 && unaudited.length === 0) throw notFound("task history");
    res.json({ items: unaudited.length === 0 ? audited : orderHistory([...audited, ...unaudited]) });
  });
  return router;
}

/** The event-processor's answer, checked as far as the merge relies on it; the rest is relayed as is. */
const AuditAnswer = z.object({
  items: z.array(z.looseObject({ type: z.string(), eventId: z.string(), correlationId: z.string(), at: z.iso.datetime({ offset: true }), data: z.looseObject({ version: z.number() }) })),
});

const unavailable = (details?: unknown) => new HttpError(503, "unavailable", "task history is unavailable right now, try again", details);
