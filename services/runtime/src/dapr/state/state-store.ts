/**
 * An in-memory Dapr state store with ETags, keys scoped per app-id (Dapr's default `keyPrefix: appid`).
 * ETag rules as Dapr's: a write or delete that carries an ETag succeeds only if it matches the stored
 * one; `first-write` concurrency without an ETag succeeds only when the key does not exist yet.
 */
export interface StateWrite {
  key: string;
  value: unknown;
  etag?: string;
  options?: { concurrency?: "first-write" | "last-write"; consistency?: "eventual" | "strong" };
}

export class EtagMismatchError extends Error {
  override name = "EtagMismatchError";
}

export class StateStore {
  readonly #items = new Map<string, { value: unknown; etag: string }>();
  #version = 0;

  #key(appId: string, key: string): string {
    return `${appId}||${key}`;
  }

  /** All writes are checked before any is applied, so a conflicting batch changes nothing. */
  save(appId: string, writes: readonly StateWrite[]): void {
    for (const w of writes) {
      const current = this.#items.get(this.#key(appId, w.key));
      if (w.etag !== undefined && w.etag !== "" && current?.etag !== w.etag) {
        throw new EtagMismatchError(`possible etag mismatch for key ${w.key}`);
      }
      if ((w.etag === undefined || w.etag === "") && w.options?.concurrency === "first-write" && current) {
        throw new EtagMismatchError(`key ${w.key} exists and first-write needs its etag`);
      }
    }
    for (const w of writes) this.#items.set(this.#key(appId, w.key), { value: w.value, etag: String(++this.#version) });
  }

  get(appId: string, key: string): { value: unknown; etag: string } | undefined {
    return this.#items.get(this.#key(appId, key));
  }

  delete(appId: string, key: string, etag?: string): void {
    const current = this.#items.get(this.#key(appId, key));
    if (etag !== undefined && etag !== "" && current?.etag !== etag) throw new EtagMismatchError(`possible etag mismatch for key ${key}`);
    this.#items.delete(this.#key(appId, key));
  }
}
