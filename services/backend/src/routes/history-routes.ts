import { Router } from "express";
import { currentUser, HttpError, invokeService, requireUser, type SidecarAddress, type TokenService } from "../../../shared/src";
import { taskIdOf } from "./task-id";

/**
 * `GET /api/tasks/:id/history`: the audit trail lives in the event-processor; the backend authenticates
 * the caller and relays the answer, so the ingress needs one prefix for the API.
 */
export function historyRoutes(sidecar: SidecarAddress, tokens: TokenService): Router {
  const router = Router();
  router.get("/api/tasks/:id/history", requireUser(tokens), async (req, res) => {
    const id = taskIdOf(req);
    const userId = currentUser(req).id;
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
    res.status(answer.status).json(answer.body);
  });
  return router;
}

const unavailable = (details?: unknown) => new HttpError(503, "unavailable", "task history is unavailable right now, try again", details);
