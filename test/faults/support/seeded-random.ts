/**
 * A small seeded PRNG (mulberry32) so a failing fuzz run can be replayed: the seed is printed and
 * `FAULT_SEED=<n>` repeats exactly the same inputs.
 */
export class SeededRandom {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  string(length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 -_/%\u00e9\u4e2d\u{1f600}"): string {
    const chars = [...alphabet];
    let s = "";
    for (let i = 0; i < length; i++) s += this.pick(chars);
    return s;
  }
}

/** `FAULT_SEED` when set (to replay a failure), else a fresh seed. */
export function seedFromEnv(): number {
  const fromEnv = Number(process.env.FAULT_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (Date.now() % 2_147_483_647) + 1;
}
