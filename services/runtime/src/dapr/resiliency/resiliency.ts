import { z } from "zod";
import { parseGoDuration } from "../schedule";
import { Backoff, DAPR_BACKOFF, type BackoffConstants, type RetrySchedule } from "./backoff";
import { CircuitBreaker, parseTrip, type BreakerSettings } from "./circuit-breaker";

/**
 * The local sidecar's reading of a Dapr `Resiliency` resource — the same object the Pulumi program
 * deploys (services/contracts/src/dapr-resources.ts) — with daprd 1.18.3's defaults
 * (pkg/resiliency/resiliency.go, dapr/kit retry.DefaultConfig) and its lookup rules: one breaker per
 * pub/sub component for all topics (ComponentInboundPolicy), one per target app + method for
 * service invocation (EndpointPolicy) — each held by one sidecar, so keyed by the sidecar's app-id too.
 */

const Duration = z.string().refine((s) => parseGoDuration(s) !== undefined, { message: "expected a Go duration such as 500ms or 10s" });
const RetrySpec = z.object({
  policy: z.enum(["constant", "exponential"]).default("constant"),
  duration: Duration.optional(),
  maxInterval: Duration.optional(),
  maxRetries: z.number().int().min(-1).optional(),
  matching: z.object({ httpStatusCodes: z.string().optional(), gRPCStatusCodes: z.string().optional() }).optional(),
});
const BreakerSpec = z.object({
  maxRequests: z.number().int().min(0).optional(),
  interval: Duration.optional(),
  timeout: Duration.optional(),
  trip: z.string().optional(),
});
const PolicyNames = z.object({ timeout: z.string().optional(), retry: z.string().optional(), circuitBreaker: z.string().optional() });
export const ResiliencySpec = z.object({
  policies: z.object({
    timeouts: z.record(z.string(), Duration).default({}),
    retries: z.record(z.string(), RetrySpec).default({}),
    circuitBreakers: z.record(z.string(), BreakerSpec).default({}),
  }),
  targets: z.object({
    apps: z.record(z.string(), PolicyNames).default({}),
    components: z.record(z.string(), z.object({ inbound: PolicyNames.optional(), outbound: PolicyNames.optional() })).default({}),
  }),
});
export type ResiliencySpec = z.input<typeof ResiliencySpec>;

export interface RetryPolicy extends RetrySchedule {
  /** HTTP status ranges that are retried; undefined = every status (no `matching`). */
  httpStatusCodes?: Array<[number, number]>;
}

export interface PolicyDefinition {
  name: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  breaker?: CircuitBreaker;
}

const ms = (d: string | undefined, fallback: number) => (d === undefined ? fallback : parseGoDuration(d)!);

/** `"429,500-599"` → ranges; daprd's parsePatterns (pkg/resiliency/retry.go). */
export function parseStatusCodes(text: string): Array<[number, number]> {
  return text.split(",").map((part) => {
    const [a, b] = part.trim().split("-").map((n) => Number(n.trim()));
    if (!Number.isInteger(a) || (b !== undefined && !Number.isInteger(b)) || a! < 100 || (b ?? a!) > 599 || (b ?? a!) < a!) throw new Error(`invalid status code pattern "${part}"`);
    return [a!, b ?? a!];
  });
}

/** Whether a status code answer is retried (only what `matching` allows, when it is set). */
export function statusNeedsRetry(policy: RetryPolicy, status: number): boolean {
  return policy.httpStatusCodes === undefined || policy.httpStatusCodes.some(([a, b]) => a <= status && status <= b);
}

export class Resiliency {
  readonly spec: z.output<typeof ResiliencySpec>;
  readonly #componentBreakers = new Map<string, CircuitBreaker>();
  readonly #endpointBreakers = new Map<string, CircuitBreaker>();

  constructor(
    spec: unknown,
    readonly backoffConstants: BackoffConstants = DAPR_BACKOFF,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.spec = ResiliencySpec.parse(spec);
  }

  /** `targets.components[name].inbound`: pub/sub delivery to the app. */
  componentInbound(sidecar: string, component: string): PolicyDefinition {
    const names = this.spec.targets.components[component]?.inbound;
    return this.#definition(`component[${component}] input`, names, this.#componentBreakers, `${sidecar}\u0000${component}`);
  }

  /** `targets.apps[app]`: the caller's sidecar invoking `app`, breaker keyed app + method. */
  endpoint(sidecar: string, app: string, method: string): PolicyDefinition {
    return this.#definition(`endpoint[${app}, ${app}:${method}]`, this.spec.targets.apps[app], this.#endpointBreakers, `${sidecar}\u0000${app}:${method}`);
  }

  newBackoff(retry: RetrySchedule): Backoff {
    return new Backoff(retry, this.backoffConstants, this.random, this.now);
  }

  #definition(name: string, names: z.output<typeof PolicyNames> | undefined, breakers: Map<string, CircuitBreaker>, key: string): PolicyDefinition {
    const def: PolicyDefinition = { name };
    if (!names) return def;
    const { policies } = this.spec;
    if (names.timeout && policies.timeouts[names.timeout]) def.timeoutMs = parseGoDuration(policies.timeouts[names.timeout]!);
    const r = names.retry ? policies.retries[names.retry] : undefined;
    if (r) {
      def.retry = {
        policy: r.policy,
        // dapr/kit retry.DefaultConfig: constant 5 s, maxInterval 60 s, retry forever, give up after 15 min.
        durationMs: ms(r.duration, 5000),
        maxIntervalMs: ms(r.maxInterval, 60_000),
        maxRetries: r.maxRetries ?? -1,
        maxElapsedMs: 15 * 60_000,
        httpStatusCodes: r.matching?.httpStatusCodes ? parseStatusCodes(r.matching.httpStatusCodes) : undefined,
      };
    }
    const b = names.circuitBreaker ? policies.circuitBreakers[names.circuitBreaker] : undefined;
    if (b) {
      let breaker = breakers.get(key);
      if (!breaker) {
        const settings: BreakerSettings = {
          name: `${names.circuitBreaker}:${key}`,
          // gobreaker: maxRequests 0 means 1; timeout 0 means 60 s; interval 0 never clears.
          maxRequests: b.maxRequests || 1,
          intervalMs: ms(b.interval, 0),
          timeoutMs: ms(b.timeout, 0) || 60_000,
          trip: parseTrip(b.trip),
        };
        breaker = new CircuitBreaker(settings, this.now);
        breakers.set(key, breaker);
      }
      def.breaker = breaker;
    }
    return def;
  }
}
