import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type WriteVerdict = { allowed: true } | { allowed: false; retryAfterS: number };

/**
 * Task writes (create, change, complete, delete …) per user per minute. A write may cost milliseconds
 * of CPU on the event loop (a recurrence rule is checked by walking its calendar), so one user's burst
 * of them would delay every other user's requests; past the limit a write is a 429 before any of that
 * work.
 *
 * Counted in this process, like the per-user in-flight limit beside it: what the limit protects is the
 * replica doing the work (its event loop and its pool), so that is where it counts. A user spread over
 * N replicas gets up to N budgets (the HPA's maxReplicas, 4 by default); storage is bounded by the task
 * quota either way. Counters in PostgreSQL, shared by the replicas (the first version), cost every
 * write one more round trip and commit, and queued one user's concurrent writes on the lock of their
 * one counter row.
 */
export class TaskWriteThrottle {
  private readonly writes: RateLimiterMemory;

  constructor(writesPerMinute: number) {
    this.writes = new RateLimiterMemory({ keyPrefix: "tw", points: writesPerMinute, duration: 60 });
  }

  /** Counts one write for `userId`; refused once the minute's budget is spent. */
  async admit(userId: string): Promise<WriteVerdict> {
    try {
      await this.writes.consume(userId);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterS: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      throw rejection;
    }
  }
}
