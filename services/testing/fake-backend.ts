import { randomUUID } from "node:crypto";
import express from "express";
import { createLogger } from "../shared/src/telemetry/logger";
import { listen, type RunningService } from "../shared/src/http/run-service";
import type { Task } from "@todo/contracts/task";

/**
 * The backend's `POST internal/tasks/next-occurrence` with the rules that matter here, as the real one
 * keeps them: one occurrence per completion event, one next occurrence per existing parent, created
 * from the request alone (the parent may be gone or reopened since), 409 when the parent is pending at
 * or before the request's parentVersion (a completion it never had). Checked and recorded without yielding after the
 * pause, so concurrent requests race like concurrent transactions against unique indexes.
 */
export interface FakeBackend {
  url: string;
  /** Tasks the fake knows (parents of next occurrences). */
  tasks: Map<string, Task>;
  /** parent task id → the next occurrence created for it, with the request that made it. */
  children: Map<string, { task: Task; body: Record<string, unknown> }>;
  nextOccurrenceCalls: number;
  /** Answer this many requests with 503 before working normally. */
  failNext: number;
  stop(): Promise<void>;
}

export async function startFakeBackend(): Promise<FakeBackend> {
  const state = { tasks: new Map(), children: new Map(), nextOccurrenceCalls: 0, failNext: 0 } as unknown as FakeBackend;
  const byEvent = new Map<string, Task>();
  const app = express();
  app.use(express.json());
  app.use((_req, res, next) => {
    if (state.failNext > 0) {
      state.failNext--;
      res.status(503).json({ error: { code: "unavailable", message: "try later" } });
      return;
    }
    next();
  });
  app.post("/internal/tasks/next-occurrence", async (req, res) => {
    state.nextOccurrenceCalls++;
    // let concurrent requests overlap before the decisive check
    await new Promise((r) => setTimeout(r, 20));
    const body = req.body as Record<string, unknown> & { eventId: string; parentTaskId: string };
    const parent = state.tasks.get(body.parentTaskId);
    if (parent?.status === "pending" && typeof body.parentVersion === "number" && parent.version <= body.parentVersion) {
      return void res.status(409).json({ error: { code: "conflict", message: "task was never completed at that version" } });
    }
    const existing = byEvent.get(body.eventId) ?? state.children.get(body.parentTaskId)?.task;
    if (existing) return void res.status(200).json({ task: existing });
    const now = new Date().toISOString();
    const { eventId: _e, correlationId: _c, parentTaskId: _p, parentVersion: _v, ...fields } = body;
    const child = { ...fields, id: randomUUID(), status: "pending", completedAt: null, createdAt: now, updatedAt: now, version: 1 } as unknown as Task;
    byEvent.set(body.eventId, child);
    state.children.set(body.parentTaskId, { task: child, body });
    state.tasks.set(child.id, child);
    res.status(201).json({ task: child });
  });
  const server: RunningService = await listen({ port: 0, host: "127.0.0.1", log: createLogger("fake-backend", "silent"), handler: app, shutdownTimeoutMs: 1000 });
  state.url = server.url;
  state.stop = () => server.stop();
  return state;
}
