import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AnyEvent } from "@todo/contracts/events";
import type { Task } from "@todo/contracts/task";

export interface ScheduledJob {
  name: string;
  dueTime: string;
  data: unknown;
  overwrite: boolean;
}

/**
 * Just enough of a Dapr sidecar for the reminder-scheduler tests: the Jobs API (firing each job once at
 * its dueTime by POSTing `/job/<name>` to the app, like Dapr does), publish, the metadata/health
 * endpoints, and service invocation of `backend` answered from an in-memory task table.
 */
export class FakeSidecar {
  readonly jobs = new Map<string, ScheduledJob>();
  readonly jobCalls: Array<{ method: "POST" | "DELETE"; name: string; body?: ScheduledJob }> = [];
  readonly published: Array<{ topic: string; event: AnyEvent }> = [];
  readonly tasks = new Map<string, Task>();
  /** Job callbacks the fake made, with the app's status. */
  readonly firings: Array<{ name: string; status: number }> = [];
  failJobs = false;
  failPublish = false;
  failBackend = false;
  appUrl = "";
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    const app = express();
    app.use(express.json({ type: () => true }));
    app.get("/v1.0/metadata", (_req, res) => {
      res.json({ id: "reminder-scheduler" });
    });
    app.get("/v1.0/healthz/outbound", (_req, res) => {
      res.status(204).end();
    });
    app.post("/v1.0/jobs/:name", (req, res) => {
      if (this.failJobs) {
        res.status(500).json({ errorCode: "ERR_SCHEDULER" });
        return;
      }
      const job: ScheduledJob = { name: req.params.name, dueTime: req.body.dueTime, data: req.body.data, overwrite: req.body.overwrite };
      this.jobCalls.push({ method: "POST", name: job.name, body: job });
      if (this.jobs.has(job.name) && !job.overwrite) {
        res.status(409).json({ errorCode: "ERR_JOB_EXISTS" });
        return;
      }
      this.jobs.set(job.name, job);
      this.arm(job);
      res.status(204).end();
    });
    app.delete("/v1.0/jobs/:name", (req, res) => {
      if (this.failJobs) {
        res.status(500).json({ errorCode: "ERR_SCHEDULER" });
        return;
      }
      this.jobCalls.push({ method: "DELETE", name: req.params.name });
      clearTimeout(this.timers.get(req.params.name));
      this.jobs.delete(req.params.name);
      res.status(204).end();
    });
    app.post("/v1.0/publish/:pubsub/:topic", (req, res) => {
      if (this.failPublish) {
        res.status(500).json({ errorCode: "ERR_PUBSUB_PUBLISH_MESSAGE" });
        return;
      }
      this.published.push({ topic: req.params.topic, event: req.body as AnyEvent });
      res.status(204).end();
    });
    app.get("/v1.0/invoke/backend/method/internal/tasks/:id", (req, res) => {
      if (this.failBackend) {
        res.status(503).json({ error: "unavailable" });
        return;
      }
      const task = this.tasks.get(req.params.id);
      if (!task) res.status(404).json({ error: { code: "not_found" } });
      else res.json({ task, series: { id: task.id, start: task.createdAt, index: 1 } });
    });
    this.server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Like the Dapr scheduler: the job fires once, at dueTime, never early. */
  private arm(job: ScheduledJob): void {
    clearTimeout(this.timers.get(job.name));
    const delay = Math.max(0, Date.parse(job.dueTime) - Date.now());
    this.timers.set(
      job.name,
      setTimeout(() => {
        this.jobs.delete(job.name);
        void this.callJob(job.name, job.data).catch(() => undefined);
      }, delay),
    );
  }

  /** Delivers a job callback to the app (also used by tests to replay a late or duplicate firing). */
  async callJob(name: string, data: unknown): Promise<number> {
    const res = await fetch(`${this.appUrl}/job/${name}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(data ?? {}),
    });
    this.firings.push({ name, status: res.status });
    return res.status;
  }

  reminderDue(): AnyEvent[] {
    return this.published.filter((p) => p.event.type === "reminder.due").map((p) => p.event);
  }

  async stop(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
