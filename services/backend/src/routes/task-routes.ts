import { Router, type RequestHandler, type Response } from "express";
import type pg from "pg";
import { badRequest, notFound, parse, tooManyRequests } from "../../../shared/src/http/errors";
import { currentUser, requireUser } from "../../../shared/src/auth/require-user";
import type { Task } from "@todo/contracts/task";
import type { TokenService } from "../../../shared/src/auth/tokens";
import type { TaskWriteThrottle } from "../data/task-write-throttle";
import type { InFlightWrites } from "../domain/in-flight-writes";
import { findTask, listTasks, sortValueOf } from "../data/tasks";
import { etagOf } from "../domain/if-match";
import { decodeCursor, encodeCursor } from "../domain/list-cursor";
import { CreateTaskBody, ListTasksQuery, PatchTaskBody } from "../domain/task-input";
import type { TaskCommands } from "../task-commands";
import { answerOnce } from "./idempotency";
import { changeFeed } from "./change-feed";
import { ifMatchOf, taskIdOf } from "./task-id";

function sendTask(res: Response, status: number, task: Task) {
  res.status(status).setHeader("ETag", etagOf(task.version)).json(task);
}

function taskAnswer(status: number, task: Task, headers: Record<string, string> = {}) {
  return { status, headers: { ...headers, ETag: etagOf(task.version) }, body: task };
}

export interface TaskLimits {
  /** Tasks one user may hold; one more is 403 quota_exceeded. */
  tasksPerUser: number;
  /** Task writes per user per minute; one more is 429 too_many_writes. */
  writes: TaskWriteThrottle;
  /** Task writes per user running at once in this process (the rest wait in line; a full line is 429 too_many_writes). */
  inFlight: InFlightWrites;
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Before any parsing or recurrence check: a user's write waits for one of their slots (a full line is
 * refused at once), then counts against their budget, and past it is refused.
 */
function writeLimit(limits: TaskLimits): RequestHandler {
  return async (req, res, next) => {
    if (READS.has(req.method)) return next();
    const userId = currentUser(req).id;
    const release = await limits.inFlight.acquire(userId);
    if (!release) return next(tooManyRequests("too_many_writes", "too many task changes at once; retry in 1 s", 1));
    res.once("finish", release).once("close", release);
    try {
      const verdict = await limits.writes.admit(userId);
      if (verdict.allowed) return next();
      next(tooManyRequests("too_many_writes", `too many task changes; retry in ${verdict.retryAfterS} s`, verdict.retryAfterS));
    } catch (err) {
      release();
      throw err;
    }
  };
}

export function taskRoutes(db: pg.Pool, tokens: TokenService, commands: TaskCommands, limits: TaskLimits): Router {
  const router = Router();
  router.use("/api/tasks", requireUser(tokens), writeLimit(limits));

  router.post("/api/tasks", async (req, res) => {
    const input = parse(CreateTaskBody, req.body);
    await answerOnce(db, req, res, async () => {
      // Inside: a retry of a create that already succeeded is answered again even at the quota.
      const task = await commands.create(input, { userId: currentUser(req).id, correlationId: req.id }, limits.tasksPerUser);
      return taskAnswer(201, task, { Location: `/api/tasks/${task.id}` });
    });
  });

  router.get("/api/tasks", async (req, res) => {
    const input = parse(ListTasksQuery, req.query, "query");
    if (input.updatedAfter !== undefined) {
      res.json(await changeFeed(db, currentUser(req).id, req.query as Record<string, unknown>, input));
      return;
    }
    let cursor = null;
    if (input.cursor) {
      const decoded = decodeCursor(input.cursor, input.sort, input.order);
      if (typeof decoded === "string") throw badRequest(decoded, [{ field: "cursor", message: decoded }]);
      cursor = decoded;
    }
    const rows = await listTasks(db, currentUser(req).id, input, cursor);
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > input.limit && last
        ? encodeCursor({ sort: input.sort, order: input.order, value: sortValueOf(input.sort, last), id: last.task.id })
        : null;
    res.json({ items: page.map((r) => r.task), nextCursor });
  });

  router.get("/api/tasks/:id", async (req, res) => {
    const found = await findTask(db, taskIdOf(req), { userId: currentUser(req).id });
    if (!found) throw notFound("task");
    sendTask(res, 200, found.task);
  });

  router.patch("/api/tasks/:id", async (req, res) => {
    const id = taskIdOf(req);
    const patch = parse(PatchTaskBody, req.body ?? {});
    const task = await commands.update(id, patch, { userId: currentUser(req).id, correlationId: req.id, ifMatch: ifMatchOf(req) });
    sendTask(res, 200, task);
  });

  router.post("/api/tasks/:id/complete", async (req, res) => {
    const id = taskIdOf(req);
    const ifMatch = ifMatchOf(req);
    await answerOnce(db, req, res, async () => taskAnswer(200, await commands.complete(id, { userId: currentUser(req).id, correlationId: req.id, ifMatch })));
  });

  router.post("/api/tasks/:id/reopen", async (req, res) => {
    const id = taskIdOf(req);
    const ifMatch = ifMatchOf(req);
    await answerOnce(db, req, res, async () => taskAnswer(200, await commands.reopen(id, { userId: currentUser(req).id, correlationId: req.id, ifMatch })));
  });

  router.post("/api/tasks/:id/skip", async (req, res) => {
    const task = await commands.skip(taskIdOf(req), { userId: currentUser(req).id, correlationId: req.id, ifMatch: ifMatchOf(req) });
    sendTask(res, 200, task);
  });

  router.post("/api/tasks/:id/end-series", async (req, res) => {
    const task = await commands.endSeries(taskIdOf(req), { userId: currentUser(req).id, correlationId: req.id, ifMatch: ifMatchOf(req) });
    sendTask(res, 200, task);
  });

  router.delete("/api/tasks/:id", async (req, res) => {
    await commands.remove(taskIdOf(req), { userId: currentUser(req).id, correlationId: req.id, ifMatch: ifMatchOf(req) });
    res.status(204).end();
  });

  return router;
}
