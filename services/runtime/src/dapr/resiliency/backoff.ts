/**
 * Dapr's retry schedules (dapr/kit retry/retry.go + cenkalti/backoff v4, as daprd 1.18.3 uses them):
 * - constant: `duration` between attempts;
 * - exponential: the Resiliency CRD has no initialInterval, so 500 ms, × 1.5 per retry, each value
 *   jittered ± 50 %, the un-jittered interval capped at `maxInterval`; `duration` is ignored;
 * - `maxRetries` retries after the first attempt (-1, the default, retries until maxElapsedTime: 15 min).
 */
export interface RetrySchedule {
  policy: "constant" | "exponential";
  durationMs: number;
  maxIntervalMs: number;
  maxRetries: number;
  maxElapsedMs: number;
}

/** The exponential constants; only tests shrink them (a test cannot wait out 500 ms × 1.5^n). */
export interface BackoffConstants {
  initialIntervalMs: number;
  multiplier: number;
  randomizationFactor: number;
}

export const DAPR_BACKOFF: BackoffConstants = { initialIntervalMs: 500, multiplier: 1.5, randomizationFactor: 0.5 };

/** One retry sequence: `next()` is the wait before the next attempt, or undefined when retries are spent. */
export class Backoff {
  #retries = 0;
  #current: number;
  readonly #started: number;

  constructor(
    private readonly schedule: RetrySchedule,
    private readonly constants: BackoffConstants = DAPR_BACKOFF,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {
    this.#current = constants.initialIntervalMs;
    this.#started = now();
  }

  next(): number | undefined {
    const { schedule, constants } = this;
    if (schedule.maxRetries >= 0 && this.#retries >= schedule.maxRetries) return undefined;
    this.#retries++;
    if (schedule.policy === "constant") return schedule.durationMs;
    const delta = constants.randomizationFactor * this.#current;
    const wait = this.#current - delta + this.random() * (2 * delta);
    this.#current = Math.min(this.#current * constants.multiplier, schedule.maxIntervalMs);
    if (schedule.maxElapsedMs > 0 && this.now() - this.#started + wait > schedule.maxElapsedMs) return undefined;
    return wait;
  }
}
