/**
 * Where each app listens, by app-id. A sidecar delivers, invokes and calls back through it; the runtime
 * registers an app before its process starts (its port is fixed up front) and keeps the entry across
 * restarts, so calls made while the app restarts fail as "unavailable" and are retried.
 */
export class AppRegistry {
  readonly #urls = new Map<string, string>();

  set(appId: string, url: string): void {
    this.#urls.set(appId, url.replace(/\/$/, ""));
  }

  delete(appId: string): void {
    this.#urls.delete(appId);
  }

  url(appId: string): string | undefined {
    return this.#urls.get(appId);
  }

  has(appId: string): boolean {
    return this.#urls.has(appId);
  }

  ids(): string[] {
    return [...this.#urls.keys()];
  }
}
