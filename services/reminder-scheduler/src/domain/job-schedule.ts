import { z } from "zod";
import { instantString } from "@todo/contracts/safe-text";

/** Dapr job names: one job per task, so re-scheduling overwrites and cancelling deletes by name. */
const JOB_PREFIX = "reminder-";

export function jobNameFor(taskId: string): string {
  return `${JOB_PREFIX}${taskId}`;
}

/**
 * The Jobs API takes `dueTime` as RFC 3339. Milliseconds are kept (Go's RFC 3339 parser accepts a
 * fractional second): truncating them would fire a reminder up to a second early.
 */
export function dueTimeFor(remindAt: Date | string): string {
  const d = typeof remindAt === "string" ? new Date(remindAt) : remindAt;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${String(remindAt)}`);
  return d.toISOString();
}

/** The sweep never schedules in the past: an overdue reminder fires now. */
export function sweepDueTime(remindAt: string, now: Date): string {
  return dueTimeFor(new Date(Math.max(Date.parse(remindAt), now.getTime())));
}

/** Two ISO strings name the same instant (the backend and Postgres may format them differently). */
export function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return Date.parse(a) === Date.parse(b);
}

/**
 * Id of the `reminder.due` event for one (task, remindAt): a second firing of the same reminder
 * publishes the same id, so consumers deduplicating on the CloudEvent id see it as a redelivery.
 */
export function reminderDueEventId(taskId: string, remindAt: string): string {
  return `reminder.due:${taskId}:${dueTimeFor(remindAt)}`;
}

/** What we put into each job; the sidecar hands it back to the callback. */
export interface JobData {
  taskId: string;
  remindAt: string;
}

const JobDataSchema = z.object({ taskId: z.uuid(), remindAt: instantString() });

/**
 * Reads our job data back from a callback body. Sidecar versions differ in how they wrap it (the raw
 * JSON, `{data: …}`, or a protobuf `{"@type", value: "<json>"}`), and the reminder row is the source of
 * truth anyway, so an unreadable body gives `null` rather than an error.
 */
export function readJobData(body: unknown): JobData | null {
  const candidates: unknown[] = [body];
  if (body && typeof body === "object") {
    const o = body as Record<string, unknown>;
    candidates.push(o.data, o.value);
    if (o.data && typeof o.data === "object") candidates.push((o.data as Record<string, unknown>).value);
  }
  for (const c of candidates) {
    let value = c;
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        continue;
      }
    }
    const parsed = JobDataSchema.safeParse(value);
    if (parsed.success) return parsed.data;
  }
  return null;
}
