/**
 * A circuit breaker with sony/gobreaker's state machine, as daprd 1.18.3 wraps it
 * (pkg/resiliency/breaker/circuitbreaker.go): closed → open when `trip` holds after a failure; open
 * rejects every call for `timeout`, then half-open lets `maxRequests` calls through (the rest are
 * rejected at once) and closes after that many successes, or opens again on one failure. `interval`
 * clears the counts periodically while closed. A failure is any error of the operation.
 */
export interface BreakerCounts {
  requests: number;
  totalSuccesses: number;
  totalFailures: number;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
}

export interface BreakerSettings {
  name: string;
  maxRequests: number;
  intervalMs: number;
  timeoutMs: number;
  trip: (counts: BreakerCounts) => boolean;
}

export type BreakerState = "closed" | "open" | "half-open";

export class BreakerRejectedError extends Error {
  override name = "BreakerRejectedError";
  constructor(readonly state: "open" | "half-open") {
    super(state === "open" ? "circuit breaker is open" : "too many requests");
  }
}

const zero = (): BreakerCounts => ({ requests: 0, totalSuccesses: 0, totalFailures: 0, consecutiveSuccesses: 0, consecutiveFailures: 0 });

export class CircuitBreaker {
  #state: BreakerState = "closed";
  #counts = zero();
  #expiry = 0;
  #generation = 0;

  constructor(
    readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.#newGeneration();
  }

  get state(): BreakerState {
    this.#refresh();
    return this.#state;
  }

  async execute<T>(operation: () => Promise<T>): Promise<T> {
    this.#refresh();
    if (this.#state === "open") throw new BreakerRejectedError("open");
    if (this.#state === "half-open" && this.#counts.requests >= this.settings.maxRequests) throw new BreakerRejectedError("half-open");
    this.#counts.requests++;
    const state = this.#state;
    const generation = this.#generation;
    try {
      const value = await operation();
      this.#after(state, generation, true);
      return value;
    } catch (err) {
      this.#after(state, generation, false);
      throw err;
    }
  }

  #after(state: BreakerState, generation: number, success: boolean): void {
    this.#refresh();
    if (this.#state !== state || this.#generation !== generation) return; // a result of a past generation counts for nothing
    const c = this.#counts;
    if (success) {
      c.totalSuccesses++;
      c.consecutiveSuccesses++;
      c.consecutiveFailures = 0;
      if (state === "half-open" && c.consecutiveSuccesses >= this.settings.maxRequests) this.#set("closed");
    } else {
      c.totalFailures++;
      c.consecutiveFailures++;
      c.consecutiveSuccesses = 0;
      if (state === "half-open" || (state === "closed" && this.settings.trip(c))) this.#set("open");
    }
  }

  #refresh(): void {
    const now = this.now();
    if (this.#state === "closed" && this.#expiry !== 0 && this.#expiry <= now) this.#newGeneration();
    else if (this.#state === "open" && this.#expiry <= now) this.#set("half-open");
  }

  #set(state: BreakerState): void {
    this.#state = state;
    this.#newGeneration();
  }

  #newGeneration(): void {
    this.#counts = zero();
    this.#generation++;
    const now = this.now();
    if (this.#state === "closed") this.#expiry = this.settings.intervalMs > 0 ? now + this.settings.intervalMs : 0;
    else if (this.#state === "open") this.#expiry = now + this.settings.timeoutMs;
    else this.#expiry = 0; // half-open lasts until a result decides
  }
}

const TRIP = /^\s*(requests|totalSuccesses|totalFailures|consecutiveSuccesses|consecutiveFailures)\s*(>=|>|==|<=|<)\s*(\d+)\s*$/;

/**
 * The `trip` CEL expressions we can evaluate: `<count> <op> <n>` (what Dapr's docs and our policies
 * use). Dapr's default when unset is `consecutiveFailures > 5`.
 */
export function parseTrip(expression: string | undefined): (counts: BreakerCounts) => boolean {
  const m = TRIP.exec(expression ?? "consecutiveFailures > 5");
  if (!m) throw new Error(`unsupported circuit breaker trip expression: ${expression}`);
  const field = m[1] as keyof BreakerCounts;
  const n = Number(m[3]);
  const op = m[2];
  return (c) => {
    const v = c[field];
    return op === ">=" ? v >= n : op === ">" ? v > n : op === "==" ? v === n : op === "<=" ? v <= n : v < n;
  };
}
