import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

export type WriteVerdict = { allowed: true } | { allowed: false; retryAfterS: number };

/**
 * Task writes (create, change, complete, delete …) per user per minute. A write may cost milliseconds
 * of CPU on the event loop (a recurrence rule is checked by walking its calendar), so one user's burst
 * of them would delay every other user's requests; past the limit a write is a 429 before any of that
 * work. Counters in PostgreSQL (`backend.task_write_throttle`), shared by every replica. Once a user's
 * budget is spent, the rest of the window is refused from memory (`inMemoryBlockOnConsumed`), so a
 * flood of refused writes costs no database round trip either.
 */
export class TaskWriteThrottle {
  private readonly writes: RateLimiterPostgres;

  constructor(pool: pg.Pool, writesPerMinute: number) {
    this.writes = new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      schemaName: "backend",
      tableName: "task_write_throttle",
      tableCreated: true,
      keyPrefix: "tw",
      points: writesPerMinute,
      duration: 60,
      inMemoryBlockOnConsumed: writesPerMinute,
    });
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
