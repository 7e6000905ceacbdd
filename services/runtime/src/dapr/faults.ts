/**
 * Switches tests flip to break the sidecar on purpose: `publish = "fail"` answers every publish with
 * HTTP 500 (the broker is down), `delivery = "paused"` holds every delivery until it is set back to
 * "ok" (the subscriber side is stalled). Nothing else changes, so the services see a real failure.
 */
export class SidecarFaults {
  publish: "ok" | "fail" = "ok";
  #delivery: "ok" | "paused" = "ok";
  #waiters: Array<() => void> = [];

  get delivery(): "ok" | "paused" {
    return this.#delivery;
  }

  set delivery(value: "ok" | "paused") {
    this.#delivery = value;
    if (value === "ok") this.#release();
  }

  /** Resolves at once while delivery is on, else when it is switched back on (or released at stop). */
  deliveryAllowed(): Promise<void> {
    if (this.#delivery === "ok") return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Lets every held delivery go (used at shutdown so nothing waits forever). */
  releaseAll(): void {
    this.#release();
  }

  #release(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
