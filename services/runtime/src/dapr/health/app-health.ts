import { EventEmitter } from "node:events";
import { callApp } from "../app-channel";
import type { AppRegistry } from "../app-registry";

/** `dapr.io/enable-app-health-check` and its companions, as daprd reads them (defaults from pkg/config/app_connection.go). */
export interface AppHealthSettings {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  threshold: number;
}

/** The check an app runs with, from its pod annotations; undefined when it is off (daprd never pauses). */
export function healthSettingsFrom(annotations: Record<string, string>): AppHealthSettings | undefined {
  if (annotations["dapr.io/enable-app-health-check"] !== "true") return undefined;
  return {
    path: annotations["dapr.io/app-health-check-path"] ?? "/healthz",
    intervalMs: Number(annotations["dapr.io/app-health-probe-interval"] ?? 5) * 1000,
    timeoutMs: Number(annotations["dapr.io/app-health-probe-timeout"] ?? 500),
    threshold: Number(annotations["dapr.io/app-health-threshold"] ?? 3),
  };
}

/**
 * daprd's app health loop (pkg/apphealth, pkg/runtime/runtime.go appHealthChanged, v1.18.3): the app
 * is probed every interval; `threshold` failures in a row make it unhealthy — its subscriptions, cron
 * bindings and job triggers stop — and one passing probe makes it healthy again. Until the first
 * probe passes the app counts as unhealthy (daprd subscribes only once the app is healthy). With the
 * check off the app is always "healthy".
 */
export class AppHealth extends EventEmitter {
  readonly #state = new Map<string, { healthy: boolean; failures: number; timer?: NodeJS.Timeout; settings?: AppHealthSettings }>();
  readonly #waiters = new Map<string, Array<() => void>>();

  constructor(private readonly apps: AppRegistry) {
    super();
  }

  watch(appId: string, settings: AppHealthSettings | undefined): void {
    this.unwatch(appId);
    const entry: { healthy: boolean; failures: number; timer?: NodeJS.Timeout; settings?: AppHealthSettings } = { healthy: settings === undefined, failures: 0, settings };
    this.#state.set(appId, entry);
    if (!settings) return;
    const probe = async () => {
      const res = await callApp(this.apps.url(appId), settings.path, { method: "GET", timeoutMs: settings.timeoutMs });
      if (this.#state.get(appId) !== entry) return;
      const ok = res.kind === "answered" && res.status >= 200 && res.status < 300;
      if (ok) {
        entry.failures = 0;
        if (!entry.healthy) this.#set(appId, entry, true);
      } else if (++entry.failures >= settings.threshold && entry.healthy) this.#set(appId, entry, false);
      entry.timer = setTimeout(() => void probe(), settings.intervalMs);
      entry.timer.unref?.();
    };
    void probe();
  }

  unwatch(appId: string): void {
    const entry = this.#state.get(appId);
    if (entry) clearTimeout(entry.timer);
    this.#state.delete(appId);
  }

  /** Apps nobody watches (test subscribers registered without a sidecar) count as healthy. */
  healthy(appId: string): boolean {
    return this.#state.get(appId)?.healthy ?? true;
  }

  /** Resolves when the app is healthy (at once if it is), or when `signal` aborts. */
  whenHealthy(appId: string, signal: AbortSignal): Promise<void> {
    if (this.healthy(appId) || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        resolve();
      };
      const list = this.#waiters.get(appId) ?? [];
      list.push(done);
      this.#waiters.set(appId, list);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  stop(): void {
    for (const id of [...this.#state.keys()]) this.unwatch(id);
    for (const list of this.#waiters.values()) for (const w of list) w();
    this.#waiters.clear();
  }

  #set(appId: string, entry: { healthy: boolean }, healthy: boolean): void {
    entry.healthy = healthy;
    this.emit("change", appId, healthy);
    if (healthy) {
      for (const w of this.#waiters.get(appId) ?? []) w();
      this.#waiters.delete(appId);
    }
  }
}
