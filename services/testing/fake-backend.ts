import { randomUUID } from "node:crypto";
import express from "express";
import { createLogger, listen, type RunningService, type Task } from "../shared/src";

/**
 * The backend's two internal task routes with the rule that matters here: one next occurrence per
 * parent task (the real backend's unique constraint), checked and recorded without yielding, so
 * concurrent requests race exactly like concurrent transactions against a unique index.
 */
export interface FakeBackend {
  url: string;
  tasks: Map<string, { task: Task; series: { id: string; start: string; index: number } }>;
  /** parent task id → the next occurrence created for it. */
  children: Map<string, { task: Task; body: { dueAt: string; remindAt: string | null; correlationId: string } }>;
  nextOccurrenceCalls: number;
  /** Answer this many requests with 503 before working normally. */
  failNext: number;
  stop(): Promise<void>;
}

export async function startFakeBackend(): Promise<FakeBackend> {
  const state = { tasks: new Map(), children: new Map(), nextOccurrenceCalls: 0, failNext: 0 } as unknown as FakeBackend;
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
  app.get("/internal/tasks/:id", (req, res) => {
    const found = state.tasks.get(req.params.id);
    if (!found) res.status(404).json({ error: { code: "not_found", message: "task not found" } });
    else res.json(found);
  });
  app.post("/internal/tasks/:id/next-occurrence", async (req, res) => {
    state.nextOccurrenceCalls++;
    // let concurrent requests overlap before the decisive check
    await new Promise((r) => setTimeout(r, 20));
    const parent = state.tasks.get(req.params.id);
    if (!parent) return void res.status(404).json({ error: { code: "not_found", message: "task not found" } });
    if (parent.task.status !== "completed") return void res.status(409).json({ error: { code: "conflict", message: "not completed" } });
    const existing = state.children.get(parent.task.id);
    if (existing) return void res.status(200).json({ task: existing.task });
    const now = new Date().toISOString();
    const child: Task = {
      ...parent.task,
      id: randomUUID(),
      status: "pending",
      dueAt: req.body.dueAt,
      remindAt: req.body.remindAt,
      completedAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    state.children.set(parent.task.id, { task: child, body: req.body });
    state.tasks.set(child.id, { task: child, series: { ...parent.series, index: parent.series.index + 1 } });
    res.status(201).json({ task: child });
  });
  const server: RunningService = await listen({ port: 0, host: "127.0.0.1", log: createLogger("fake-backend", "silent"), handler: app, shutdownTimeoutMs: 1000 });
  state.url = server.url;
  state.stop = () => server.stop();
  return state;
}
