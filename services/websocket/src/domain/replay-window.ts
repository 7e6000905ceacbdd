/**
 * The frames this replica delivered recently, per user, so a browser that reconnects with the id of the
 * last frame it saw is sent what it missed. Every replica sees every event (per-pod consumer group), so
 * any replica can answer — as long as the id is still in its window.
 *
 * Bounded three ways: per user by count, for everyone by age, and overall by frames and by payload
 * bytes (a user's own overflow evicts their oldest frame; the overall bounds evict the oldest frame of
 * anyone). A lookup for an id that is not (or no longer) here answers "too old": the caller refetches.
 */
export interface ReplayWindowLimits {
  /** Frames kept per user. */
  perUser: number;
  /** Frames older than this are forgotten. */
  maxAgeMs: number;
  /** Frames kept for all users together (tombstones of per-user evictions included). */
  maxFrames: number;
  /** Payload bytes kept for all users together. */
  maxBytes: number;
  /**
   * Frames that arrived up to this long *before* the last seen one are replayed too: pub/sub is
   * unordered and each replica has its own arrival order, so a frame the previous replica had not yet
   * delivered may sit just before the id here. The browser drops the ones it already has by id.
   */
  reorderMarginMs: number;
}

interface Entry {
  userId: string;
  id: string;
  payload: string;
  bytes: number;
  at: number;
  evicted: boolean;
}

export type ReplayAnswer = { kind: "frames"; payloads: string[] } | { kind: "too_old" };

export class ReplayWindow {
  /** All entries in arrival order; a head index instead of shift() keeps eviction O(1) amortised. */
  private queue: Entry[] = [];
  private head = 0;
  private readonly byUser = new Map<string, Entry[]>();
  private bytes = 0;

  constructor(
    private readonly limits: ReplayWindowLimits,
    private readonly now: () => number = Date.now,
  ) {
    for (const [k, v] of Object.entries(limits)) if (!Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a non-negative number`);
    if (limits.perUser < 1 || limits.maxFrames < 1) throw new RangeError("perUser and maxFrames must be at least 1");
  }

  /** Remembers a frame delivered to `userId` (its payload exactly as sent). */
  record(userId: string, id: string, payload: string): void {
    const entry: Entry = { userId, id, payload, bytes: Buffer.byteLength(payload), at: this.now(), evicted: false };
    if (entry.bytes > this.limits.maxBytes) return; // could never be kept; its id is then "too old"
    this.queue.push(entry);
    this.bytes += entry.bytes;
    let own = this.byUser.get(userId);
    if (!own) this.byUser.set(userId, (own = []));
    own.push(entry);
    if (own.length > this.limits.perUser) this.evict(own.shift()!, own);
    this.prune();
  }

  /**
   * What `userId` missed after the frame `lastEventId`: the frames after it in this replica's order,
   * plus those within the reorder margin before it. Only this user's frames are ever searched, so
   * another user's id is simply unknown here ("too old").
   */
  since(userId: string, lastEventId: string): ReplayAnswer {
    this.prune();
    const own = this.byUser.get(userId) ?? [];
    const i = own.findIndex((e) => e.id === lastEventId);
    if (i < 0) return { kind: "too_old" };
    const at = own[i]!.at;
    let start = i;
    while (start > 0 && at - own[start - 1]!.at < this.limits.reorderMarginMs) start--;
    return { kind: "frames", payloads: [...own.slice(start, i), ...own.slice(i + 1)].map((e) => e.payload) };
  }

  /** Drops every frame kept for `userId` (their account was deleted: nothing of it stays here). */
  forget(userId: string): void {
    const own = this.byUser.get(userId);
    if (!own) return;
    for (const e of own.splice(0)) this.evict(e, own);
  }

  get size(): { frames: number; bytes: number; users: number } {
    return { frames: this.queue.length - this.head, bytes: this.bytes, users: this.byUser.size };
  }

  private prune(): void {
    const oldest = this.now() - this.limits.maxAgeMs;
    while (this.head < this.queue.length) {
      const e = this.queue[this.head]!;
      const over = this.queue.length - this.head > this.limits.maxFrames || this.bytes > this.limits.maxBytes || e.at < oldest;
      if (!e.evicted && !over) break;
      this.head++;
      if (!e.evicted) {
        // The oldest live entry overall is also the oldest of its user (one arrival order).
        const own = this.byUser.get(e.userId)!;
        own.shift();
        this.evict(e, own);
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Frees an entry already removed from its user's list; its queue slot stays as a tombstone. */
  private evict(e: Entry, own: Entry[]): void {
    e.evicted = true;
    e.payload = "";
    this.bytes -= e.bytes;
    if (own.length === 0) this.byUser.delete(e.userId);
  }
}
