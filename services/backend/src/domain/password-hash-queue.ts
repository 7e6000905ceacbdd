/** Thrown at once, without waiting, when the queue already holds as many waiting hashes as it may. */
export class HashQueueFull extends Error {
  override name = "HashQueueFull";
  constructor(readonly retryAfterS: number) {
    super("too many sign-ins at once; retry shortly");
  }
}

/**
 * Bounds how many password hashes run at once and how many may wait. scrypt runs on libuv's thread
 * pool (4 threads by default), which PostgreSQL connects (DNS lookups), other crypto and file I/O share:
 * 50 concurrent logins held every thread for seconds, and other users' requests waited ~10 s. With
 * `concurrency` below the pool size the rest stays free, and a full queue answers at once (429 +
 * Retry-After) instead of letting requests pile up behind each other.
 */
export class PasswordHashQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** A running average of how long one hash takes, for Retry-After. */
  private averageMs = 250;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
  ) {
    if (!(concurrency >= 1) || !(maxWaiting >= 0)) throw new Error("concurrency must be ≥ 1 and maxWaiting ≥ 0");
  }

  /** Runs `hash` when a slot is free; throws HashQueueFull when `maxWaiting` hashes are already waiting. */
  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else if (this.waiting.length >= this.maxWaiting) throw new HashQueueFull(this.estimatedWaitS());
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the finisher hands its slot over
    const started = Date.now();
    try {
      return await hash();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (Date.now() - started);
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Hashes running or waiting (for tests and diagnostics). */
  get load(): number {
    return this.running + this.waiting.length;
  }

  private estimatedWaitS(): number {
    return Math.max(1, Math.ceil(((this.waiting.length + this.running) / this.concurrency) * (this.averageMs / 1000)));
  }
}
