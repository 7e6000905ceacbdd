/**
 * Task writes of one user this process works on at once. A burst of concurrent writes from one user
 * would otherwise take every connection of the database pool (10) and queue other users' reads behind
 * it (measured: another user's GET p95 ~300 ms during a 24-wide burst of plain creates). So each user
 * has `running` slots; further writes wait in that user's own line (they hold no pool connection while
 * waiting), and past `waiting` in line a write is refused at once. In memory, per process: it guards
 * this process's pool and event loop, which is all it is for (the per-minute budget is cluster-wide).
 */
export class InFlightWrites {
  private readonly users = new Map<string, { running: number; line: Array<() => void> }>();

  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  /** Resolves with the function that gives the slot back (once) when a slot is free; null at once when the line is full. */
  async acquire(userId: string): Promise<(() => void) | null> {
    let user = this.users.get(userId);
    if (!user) this.users.set(userId, (user = { running: 0, line: [] }));
    if (user.running >= this.running) {
      if (user.line.length >= this.waiting) return null;
      await new Promise<void>((resolve) => user.line.push(resolve));
    } else {
      user.running++;
    }
    return this.releaser(userId, user);
  }

  private releaser(userId: string, user: { running: number; line: Array<() => void> }): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = user.line.shift();
      if (next) return next(); // the slot passes to the next write in line
      user.running--;
      if (user.running === 0) this.users.delete(userId);
    };
  }
}
