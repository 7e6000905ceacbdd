import type { Logger } from "../../../../shared/src/telemetry/logger";
import { callApp, sleep, unboundedAbortController } from "../app-channel";
import type { AppRegistry } from "../app-registry";
import type { AppHealth } from "../health/app-health";
import { parseSchedule, type Schedule } from "../schedule";

export interface JobSpec {
  /** As given: RFC 3339 or a Go duration. */
  dueTime?: string;
  schedule?: string;
  repeats?: number;
  data: unknown;
  failurePolicy?: JobFailurePolicy;
}

/**
 * What happens when a trigger fails (common/v1 JobFailurePolicy, dapr v1.18.3): `constant` retries every
 * interval, `maxRetries` times (unset: forever); `drop` gives the tick up at once.
 */
export type JobFailurePolicy = { kind: "constant"; intervalMs: number; maxRetries?: number } | { kind: "drop" };

/** No failurePolicy on the job: the scheduler's default, 3 retries 1 s apart (go-etcd-cron v0.12.7). */
export const DEFAULT_JOB_FAILURE_POLICY: JobFailurePolicy = { kind: "constant", intervalMs: 1000, maxRetries: 3 };

interface Job extends JobSpec {
  appId: string;
  name: string;
  nextAt: number;
  fired: number;
  parsedSchedule?: Schedule;
  timer?: NodeJS.Timeout;
  /** Bumped on overwrite/delete so a callback in progress for the old job stops retrying. */
  generation: number;
}

export interface JobFailure {
  appId: string;
  name: string;
  reason: string;
  at: string;
}

// setTimeout holds at most ~24.8 days; later jobs re-arm on the way.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The Dapr Jobs API, in memory and scoped per app-id: a job fires at its due time — never before it —
 * by POSTing its data to `/job/<name>` on the app that scheduled it. As daprd 1.18.3 reads the answer
 * (pkg/runtime/scheduler/internal/cluster/streamer.go): 2xx is success, and so is 404 (logged as a
 * failure, never retried); anything else — a refused connection included — fails the trigger, which
 * the job's failurePolicy retries (default 3 × 1 s); then a one-shot job is gone. While the app's health
 * check fails, triggers wait (daprd stops its job stream: runtime.go appHealthChanged → StopApp).
 */
export class JobScheduler {
  readonly failures: JobFailure[] = [];
  /** Successful callbacks, for tests and the runtime's counters. */
  triggered = 0;
  readonly #jobs = new Map<string, Job>();
  // Every waiting delivery/trigger listens on it (and stops listening when done): many at once is normal.
  readonly #stopping = unboundedAbortController();
  #generation = 0;

  constructor(
    private readonly opts: { apps: AppRegistry; health: AppHealth; log: Logger; defaultFailurePolicy?: JobFailurePolicy; now?: () => number },
  ) {}

  #now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Returns false when the job exists and `overwrite` is not set (the API answers 409). */
  schedule(appId: string, name: string, spec: JobSpec, firstAt: number, overwrite: boolean): boolean {
    const key = `${appId}\u0000${name}`;
    const existing = this.#jobs.get(key);
    if (existing && !overwrite) return false;
    if (existing) this.#cancel(existing);
    const job: Job = {
      ...spec,
      appId,
      name,
      nextAt: firstAt,
      fired: 0,
      parsedSchedule: spec.schedule ? parseSchedule(spec.schedule) : undefined,
      generation: ++this.#generation,
    };
    this.#jobs.set(key, job);
    this.#arm(job);
    return true;
  }

  get(appId: string, name: string): (JobSpec & { name: string }) | undefined {
    const job = this.#jobs.get(`${appId}\u0000${name}`);
    if (!job) return undefined;
    return { name: job.name, dueTime: job.dueTime, schedule: job.schedule, repeats: job.repeats, data: job.data, failurePolicy: job.failurePolicy };
  }

  delete(appId: string, name: string): boolean {
    const key = `${appId}\u0000${name}`;
    const job = this.#jobs.get(key);
    if (!job) return false;
    this.#cancel(job);
    this.#jobs.delete(key);
    return true;
  }

  /** Jobs scheduled and not yet done, per app. */
  count(appId?: string): number {
    return [...this.#jobs.values()].filter((j) => appId === undefined || j.appId === appId).length;
  }

  stop(): void {
    this.#stopping.abort();
    for (const job of this.#jobs.values()) clearTimeout(job.timer);
  }

  #cancel(job: Job): void {
    clearTimeout(job.timer);
    job.generation = -1;
  }

  #arm(job: Job): void {
    if (this.#stopping.signal.aborted) return;
    const wait = job.nextAt - this.#now();
    // A timer may fire a millisecond early; re-checking the clock keeps "never early" true.
    job.timer = setTimeout(() => (this.#now() >= job.nextAt ? void this.#fire(job) : this.#arm(job)), Math.min(Math.max(wait, 0), MAX_TIMER_MS));
    job.timer.unref?.();
  }

  async #fire(job: Job): Promise<void> {
    const policy = job.failurePolicy ?? this.opts.defaultFailurePolicy ?? DEFAULT_JOB_FAILURE_POLICY;
    const generation = job.generation;
    const stop = this.#stopping.signal;
    const current = () => job.generation === generation && !stop.aborted;
    let retries = 0;
    while (current()) {
      await this.opts.health.whenHealthy(job.appId, stop);
      if (!current()) return;
      const result = await callApp(this.opts.apps.url(job.appId), `/job/${encodeURIComponent(job.name)}`, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify(job.data ?? null),
      });
      if (!current()) return;
      if (result.kind === "answered" && ((result.status >= 200 && result.status < 300) || result.status === 404)) {
        if (result.status === 404) this.opts.log.warn({ appId: job.appId, job: job.name }, "job callback answered 404: counted as done, as daprd does");
        this.triggered++;
        return this.#settle(job);
      }
      const reason = result.kind === "answered" ? `HTTP ${result.status} ${result.body.slice(0, 200)}` : result.reason;
      if (policy.kind === "drop" || (policy.maxRetries !== undefined && retries >= policy.maxRetries)) return this.#giveUp(job, reason);
      retries++;
      this.opts.log.debug({ appId: job.appId, job: job.name, reason }, "job callback will be retried");
      if (!(await sleep(policy.intervalMs, stop))) return;
    }
  }

  #settle(job: Job): void {
    job.fired++;
    const next = job.parsedSchedule?.next(Math.max(job.nextAt, this.#now()));
    const moreAllowed = job.repeats === undefined || job.fired < job.repeats;
    if (job.parsedSchedule && next !== undefined && moreAllowed) {
      job.nextAt = next;
      this.#arm(job);
      return;
    }
    this.#jobs.delete(`${job.appId}\u0000${job.name}`);
  }

  #giveUp(job: Job, reason: string): void {
    this.failures.push({ appId: job.appId, name: job.name, reason, at: new Date().toISOString() });
    this.opts.log.warn({ appId: job.appId, job: job.name, reason }, "job callback failed for good");
    this.#settle(job); // a repeating job still gets its next run; a one-shot job is over
  }
}
