import { sleep } from "../app-channel";
import { BreakerRejectedError } from "./circuit-breaker";
import { statusNeedsRetry, type PolicyDefinition, type Resiliency } from "./resiliency";

/** An app's non-2xx answer: retried only when the retry policy's `matching` allows its status. */
export class StatusCodeError extends Error {
  override name = "StatusCodeError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** An error no retry can help with: the runner stops at once (backoff.Permanent in daprd). */
export class PermanentError extends Error {
  override name = "PermanentError";
}

export class AttemptTimeoutError extends Error {
  override name = "AttemptTimeoutError";
  constructor(ms: number) {
    super(`attempt timed out after ${ms} ms`);
  }
}

/**
 * Runs `operation` under a policy the way daprd's runner does (pkg/resiliency/policy.go, v1.18.3):
 * each attempt gets the timeout, the breaker wraps the attempt (a rejection is permanent, so an open
 * breaker fails at once with no attempt), and the retry loop around it backs off per the retry
 * schedule. A StatusCodeError whose status `matching` excludes ends the loop. Resolves with the
 * operation's value or rejects with the last error.
 */
export async function runWithPolicy<T>(
  resiliency: Resiliency,
  def: PolicyDefinition,
  operation: (signal: AbortSignal) => Promise<T>,
  stop: AbortSignal,
  onRetry?: (err: unknown, waitMs: number) => void,
): Promise<T> {
  const attempt = async (): Promise<T> => {
    if (def.timeoutMs === undefined) return operation(stop);
    // One controller per attempt, its listener on `stop` removed after: thousands of deliveries share `stop`.
    const controller = new AbortController();
    const onStop = () => controller.abort(stop.reason);
    stop.addEventListener("abort", onStop, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<T>((resolve, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new AttemptTimeoutError(def.timeoutMs!));
        }, def.timeoutMs);
        operation(controller.signal).then(resolve, reject);
      });
    } finally {
      clearTimeout(timer);
      stop.removeEventListener("abort", onStop);
    }
  };
  const guarded = def.breaker ? () => def.breaker!.execute(attempt) : attempt;
  if (!def.retry) return guarded();
  const backoff = resiliency.newBackoff(def.retry);
  for (;;) {
    try {
      return await guarded();
    } catch (err) {
      if (err instanceof BreakerRejectedError || err instanceof PermanentError) throw err;
      if (err instanceof StatusCodeError && !statusNeedsRetry(def.retry, err.status)) throw err;
      const wait = backoff.next();
      if (wait === undefined || stop.aborted) throw err;
      onRetry?.(err, wait);
      if (!(await sleep(wait, stop))) throw err;
    }
  }
}
