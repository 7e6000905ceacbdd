import express, { Router, type Request } from "express";
import { z } from "zod";
import { sendDaprError } from "../dapr-error";
import type { JobFailurePolicy } from "../jobs/job-scheduler";
import { parseDueTime, parseGoDuration, parseSchedule } from "../schedule";
import type { SidecarContext } from "../sidecar-context";

const ScheduleJobRequest = z
  .object({
    dueTime: z.string().min(1).optional(),
    schedule: z.string().min(1).optional(),
    repeats: z.number().int().positive().optional(),
    data: z.unknown().optional(),
    overwrite: z.boolean().optional(),
    // protojson of common.v1.JobFailurePolicy: {"drop":{}} or {"constant":{"interval":"5s","maxRetries":3}}
    failurePolicy: z
      .union([
        z.object({ drop: z.object({}).strict() }).strict(),
        z.object({ constant: z.object({ interval: z.string().optional(), maxRetries: z.number().int().min(0).optional() }).strict() }).strict(),
      ])
      .optional(),
  })
  .refine((j) => j.dueTime !== undefined || j.schedule !== undefined, { message: "one of dueTime or schedule is required", path: ["dueTime"] });

const jobName = (req: Request): string => String(req.params.name);
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$/;

/**
 * The Jobs API (`/v1.0/jobs/<name>`, and the older `/v1.0-alpha1/` path): schedule (409 when the job
 * exists and `overwrite` is not true), get, delete. Jobs are scoped to the calling app-id, and fire
 * back to that same app at `POST /job/<name>`.
 */
export function jobsRoutes(ctx: SidecarContext): Router {
  const router = Router();
  const paths = ["/v1.0/jobs/:name", "/v1.0-alpha1/jobs/:name"];
  router.use(paths, (req, res, next) => {
    if (!JOB_NAME.test(jobName(req))) return sendDaprError(res, 400, "ERR_MALFORMED_REQUEST", `invalid job name ${req.params.name}`);
    next();
  });
  router.post(paths, express.json({ type: () => true, limit: "1mb" }), (req, res) => {
    const parsed = ScheduleJobRequest.safeParse(req.body ?? {});
    if (!parsed.success) return sendDaprError(res, 400, "ERR_MALFORMED_REQUEST", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const job = parsed.data;
    const now = Date.now();
    let firstAt: number | undefined;
    try {
      firstAt = job.dueTime !== undefined ? parseDueTime(job.dueTime, now) : parseSchedule(job.schedule!).next(now);
      if (job.schedule !== undefined) parseSchedule(job.schedule);
    } catch (err) {
      return sendDaprError(res, 400, "ERR_MALFORMED_REQUEST", `invalid schedule: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (firstAt === undefined) return sendDaprError(res, 400, "ERR_MALFORMED_REQUEST", `dueTime must be RFC 3339 or a duration, got ${job.dueTime}`);
    let failurePolicy: JobFailurePolicy | undefined;
    if (job.failurePolicy && "drop" in job.failurePolicy) failurePolicy = { kind: "drop" };
    else if (job.failurePolicy) {
      const interval = job.failurePolicy.constant.interval;
      const intervalMs = interval === undefined ? 0 : parseGoDuration(interval);
      if (intervalMs === undefined) return sendDaprError(res, 400, "ERR_MALFORMED_REQUEST", `failurePolicy.constant.interval: invalid duration ${interval}`);
      failurePolicy = { kind: "constant", intervalMs, maxRetries: job.failurePolicy.constant.maxRetries };
    }
    const created = ctx.jobs.schedule(
      ctx.appId,
      jobName(req),
      { dueTime: job.dueTime, schedule: job.schedule, repeats: job.repeats, data: job.data ?? null, failurePolicy },
      firstAt,
      job.overwrite === true,
    );
    if (!created) return sendDaprError(res, 409, "ERR_JOBS_ALREADY_EXISTS", `job ${req.params.name} already exists; set overwrite to replace it`);
    res.status(204).end();
  });
  router.get(paths, (req, res) => {
    const job = ctx.jobs.get(ctx.appId, jobName(req));
    if (!job) return sendDaprError(res, 404, "ERR_JOBS_NOT_FOUND", `job ${req.params.name} not found`);
    res.json(job);
  });
  router.delete(paths, (req, res) => {
    if (!ctx.jobs.delete(ctx.appId, jobName(req))) return sendDaprError(res, 404, "ERR_JOBS_NOT_FOUND", `job ${req.params.name} not found`);
    res.status(204).end();
  });
  return router;
}
