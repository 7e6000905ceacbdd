import type { Logger } from "../../../shared/src/telemetry/logger";
import { callApp } from "./app-channel";
import type { AppRegistry } from "./app-registry";
import type { AppHealth } from "./health/app-health";
import { parseSchedule } from "./schedule";

export interface CronBinding {
  name: string;
  appId: string;
  schedule: string;
}

/**
 * Dapr's `bindings.cron` input binding: at each tick, POST `/<name>` on the app. A tick that finds the
 * previous call still running, or the app down, is skipped — the binding is a safety net that fires
 * again at the next tick, not a queue.
 */
export class CronBindings {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** Ticks the app acknowledged, per binding name. */
  readonly fired = new Map<string, number>();
  #stopped = false;

  constructor(private readonly opts: { apps: AppRegistry; health: AppHealth; log: Logger }) {}

  start(binding: CronBinding): void {
    const schedule = parseSchedule(binding.schedule);
    let running = false;
    const arm = (after: number) => {
      const next = schedule.next(after);
      if (next === undefined || this.#stopped) return;
      const timer = setTimeout(() => {
        if (Date.now() < next) return arm(after); // woke early: wait the rest
        arm(next);
        // daprd stops input bindings while the app's health check fails (runtime.go appHealthChanged).
        if (running || !this.opts.health.healthy(binding.appId)) return;
        running = true;
        void callApp(this.opts.apps.url(binding.appId), `/${binding.name}`, {
          headers: { "content-type": "application/json" },
          body: "{}",
        })
          .then((result) => {
            if (result.kind === "answered" && result.status < 300) this.fired.set(binding.name, (this.fired.get(binding.name) ?? 0) + 1);
            else this.opts.log.warn({ binding: binding.name, appId: binding.appId, result: result.kind === "answered" ? result.status : result.reason }, "cron binding tick not accepted");
          })
          .finally(() => {
            running = false;
          });
      }, Math.max(0, next - Date.now()));
      timer.unref?.();
      this.#timers.set(binding.name, timer);
    };
    arm(Date.now());
  }

  stopBinding(name: string): void {
    clearTimeout(this.#timers.get(name));
    this.#timers.delete(name);
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }
}
