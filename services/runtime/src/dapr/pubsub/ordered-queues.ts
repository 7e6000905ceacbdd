/**
 * Per-key serial execution: tasks with the same key run one after another in the order they were
 * queued (a later event of a task waits until the earlier one is settled, like one Kafka partition);
 * tasks without a key, or with different keys, run concurrently.
 */
export class OrderedQueues {
  readonly #tails = new Map<string, { tail: Promise<void>; pending: number }>();

  run(key: string | undefined, task: () => Promise<void>): Promise<void> {
    if (key === undefined) return task();
    const entry = this.#tails.get(key) ?? { tail: Promise.resolve(), pending: 0 };
    entry.pending++;
    const next = entry.tail.then(task).finally(() => {
      if (--entry.pending === 0) this.#tails.delete(key);
    });
    // The chain must not break on a failed task: the next one still runs after it.
    entry.tail = next.catch(() => undefined);
    this.#tails.set(key, entry);
    return next;
  }

  get size(): number {
    return this.#tails.size;
  }
}
