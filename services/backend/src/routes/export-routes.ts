import { Router, type Response } from "express";
import type pg from "pg";
import { z } from "zod";
import { currentUser, requireUser } from "../../../shared/src/auth/require-user";
import { HttpError, notFound } from "../../../shared/src/http/errors";
import { invokeService } from "../../../shared/src/dapr/invoke";
import type { SidecarAddress } from "../../../shared/src/dapr/sidecar";
import type { TokenService } from "../../../shared/src/auth/tokens";
import { tasksPage } from "../data/tasks";
import { findUserById } from "../data/users";

/** Tasks per page of the walk (and per history request to the event-processor). */
const PAGE = 200;
/** Notifications per request to the notification service (its own maximum). */
const NOTIFICATION_PAGE = 100;

const HistoryBatch = z.object({ items: z.record(z.string(), z.array(z.unknown())) });
const NotificationPage = z.object({ items: z.array(z.unknown()), nextCursor: z.string().nullable() });

/**
 * `GET /api/export`: the user's own data as one JSON document — `{exportedAt, user, tasks: [{...task,
 * history}], notifications}` — written as it is read, a page at a time, so memory stays bounded
 * whatever the account's size. The first page is fetched before the status line, so an unavailable
 * event-processor or notification service is a plain 503; a failure later aborts the connection, so a
 * client never mistakes a truncated export for a whole one (the document would not parse).
 */
export function exportRoutes(sidecar: SidecarAddress, tokens: TokenService, db: pg.Pool): Router {
  const router = Router();
  router.get("/api/export", requireUser(tokens), async (req, res) => {
    const userId = currentUser(req).id;
    const user = await findUserById(db, userId);
    if (!user) throw notFound("account");
    const headers = { "x-request-id": req.id };

    const historyOf = async (ids: string[]) => {
      if (ids.length === 0) return {};
      const answer = await reach(() => invokeService(sidecar, "event-processor", "internal/history/batch", { httpMethod: "POST", body: { userId, taskIds: ids }, headers }));
      return upstream(answer, HistoryBatch, "event-processor").items;
    };
    const notificationsAfter = async (cursor: string | null) => {
      const q = `limit=${NOTIFICATION_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const answer = await reach(() => invokeService(sidecar, "notification", `internal/users/${userId}/notifications?${q}`, { headers }));
      return upstream(answer, NotificationPage, "notification");
    };

    let tasks = await tasksPage(db, userId, null, PAGE);
    let history = await historyOf(tasks.map((t) => t.task.id));
    let notifications = await notificationsAfter(null);

    res.status(200);
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.setHeader("content-disposition", `attachment; filename="todo-export-${new Date().toISOString().slice(0, 10)}.json"`);
    res.setHeader("cache-control", "no-store");
    try {
      await write(res, `{"exportedAt":${JSON.stringify(new Date().toISOString())},"user":${JSON.stringify({ id: user.id, email: user.email, createdAt: user.createdAt })},"tasks":[`);
      let first = true;
      while (tasks.length > 0) {
        for (const { task } of tasks) {
          await write(res, (first ? "" : ",") + JSON.stringify({ ...task, history: history[task.id] ?? [] }));
          first = false;
        }
        if (tasks.length < PAGE) break;
        const last = tasks.at(-1)!.task;
        tasks = await tasksPage(db, userId, { createdAt: last.createdAt, id: last.id }, PAGE);
        history = await historyOf(tasks.map((t) => t.task.id));
      }
      await write(res, `],"notifications":[`);
      first = true;
      for (;;) {
        for (const n of notifications.items) {
          await write(res, (first ? "" : ",") + JSON.stringify(n));
          first = false;
        }
        if (!notifications.nextCursor) break;
        notifications = await notificationsAfter(notifications.nextCursor);
      }
      res.end("]}");
    } catch (err) {
      req.log.warn({ err: err instanceof Error ? err.message : String(err) }, "export aborted");
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  });
  return router;
}

async function reach(call: () => Promise<{ status: number; body: unknown }>) {
  try {
    return await call();
  } catch {
    return { status: 503, body: null }; // unreachable or timed out: as unavailable as a 5xx
  }
}

function upstream<S extends z.ZodType>(answer: { status: number; body: unknown }, schema: S, service: string): z.infer<S> {
  const parsed = answer.status === 200 ? schema.safeParse(answer.body) : null;
  if (!parsed?.success) throw new HttpError(503, "unavailable", "the export is unavailable right now, try again", { upstream: service, upstreamStatus: answer.status });
  return parsed.data;
}

/** Writes, waiting for the socket to drain when its buffer is full (back-pressure keeps memory bounded). */
function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      res.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      res.off("drain", onDrain);
      reject(new Error("client went away"));
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}
