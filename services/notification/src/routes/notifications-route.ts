import { Router } from "express";
import { z } from "zod";
import type pg from "pg";
import { badRequest, notFound, parse } from "../../../shared/src/http/errors";
import { currentUser, requireUser } from "../../../shared/src/auth/require-user";
import type { TokenService } from "../../../shared/src/auth/tokens";
import { notificationsRead } from "../../../shared/src/telemetry/notification-metrics";
import { decodeCursor, encodeCursor, type Notification } from "../domain/notification";
import { listNotifications, markAllRead, markRead, unreadCount } from "../data/notification-store";

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
const IdParams = z.object({ id: z.uuid() });
const UserParams = z.object({ userId: z.uuid() });

/** What the browser gets: no internal bookkeeping (publishedAt) and no user id. */
function view(n: Notification) {
  return { id: n.id, taskId: n.taskId, channel: n.channel, title: n.title, message: n.message, remindAt: n.remindAt, createdAt: n.createdAt, readAt: n.readAt };
}

/** The user's own notifications; anyone else's id is as unknown as a made-up one (404). */
export function notificationsRouter(deps: { pool: pg.Pool; tokens: TokenService }): Router {
  const router = Router();
  router.use("/api/notifications", requireUser(deps.tokens));

  // The backend's `GET /api/export`, through service invocation (never routed by the ingress).
  router.get("/internal/users/:userId/notifications", async (req, res) => {
    const { userId } = parse(UserParams, req.params, "params");
    const { limit, cursor } = parse(ListQuery, req.query, "query");
    const before = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && before === null) throw badRequest("invalid query: cursor", [{ field: "cursor", message: "not a cursor from this API" }]);
    const rows = await listNotifications(deps.pool, userId, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({ items: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null });
  });

  router.get("/api/notifications", async (req, res) => {
    const user = currentUser(req);
    const { limit, cursor } = parse(ListQuery, req.query, "query");
    const before = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && before === null) throw badRequest("invalid query: cursor", [{ field: "cursor", message: "not a cursor from this API" }]);
    const [rows, unread] = await Promise.all([listNotifications(deps.pool, user.id, limit + 1, before), unreadCount(deps.pool, user.id)]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({
      items: page.map(view),
      unreadCount: unread,
      nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
    });
  });

  router.post("/api/notifications/:id/read", async (req, res) => {
    const user = currentUser(req);
    const { id } = parse(IdParams, req.params, "params");
    const result = await markRead(deps.pool, user.id, id);
    if (!result) throw notFound("notification");
    if (result.changed) notificationsRead.inc();
    // the notification itself, as the README promises
    res.json(view(result.notification));
  });

  /** Marks every unread notification of the user read at once; idempotent (a repeat marks 0). */
  router.post("/api/notifications/read-all", async (req, res) => {
    const user = currentUser(req);
    const marked = await markAllRead(deps.pool, user.id);
    if (marked > 0) notificationsRead.inc(marked);
    res.json({ marked, unreadCount: await unreadCount(deps.pool, user.id) });
  });
  return router;
}
