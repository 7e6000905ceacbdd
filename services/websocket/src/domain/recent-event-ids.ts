/**
 * The event ids seen most recently (bounded, least recently seen evicted first). Pub/sub redelivers at
 * least once; a redelivery inside this window must not put a second frame on the wire. Frames are
 * best-effort, so a duplicate older than the window is an acceptable, bounded risk.
 */
export class RecentEventIds {
  private readonly ids = new Map<string, true>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
  }

  /** true the first time an id is seen (and remembers it), false for a repeat. */
  firstSighting(id: string): boolean {
    if (this.ids.has(id)) {
      this.ids.delete(id);
      this.ids.set(id, true); // refresh: a hot duplicate stays remembered
      return false;
    }
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
