import type { RequestHandler } from "express";
import type { z } from "zod";
import { eventProcessingDuration, eventsConsumed } from "../telemetry/event-metrics";
import type { Logger } from "../telemetry/logger";

/** What a handler reports; throwing means RETRY unless it throws a PermanentEventError. */
export type HandleOutcome = "success" | "duplicate";

/** An event that can never be processed (bad reference, impossible state): DROP → dead-letter topic. */
export class PermanentEventError extends Error {
  override name = "PermanentEventError";
}

export interface SubscriptionHandlerOptions<S extends z.ZodType> {
  consumer: string;
  schema: S;
  log: Logger;
  handle: (event: z.infer<S>) => Promise<HandleOutcome>;
}

const KNOWN_TYPE = /^(task|reminder|notification|account)\.[a-z]+$/;

/**
 * Express handler for one Dapr subscription route. Replies the Dapr status explicitly:
 * SUCCESS when handled (or a duplicate), RETRY on a transient failure (Dapr retries per Resiliency, then
 * dead-letters), DROP for an invalid event (Dapr sends it to the dead-letter topic at once).
 */
export function subscriptionHandler<S extends z.ZodType>(opts: SubscriptionHandlerOptions<S>): RequestHandler {
  return async (req, res) => {
    const started = process.hrtime.bigint();
    const rawType = typeof req.body?.type === "string" && KNOWN_TYPE.test(req.body.type) ? req.body.type : "unknown";
    const parsed = opts.schema.safeParse(req.body);
    const done = (outcome: "success" | "retry" | "drop" | "duplicate") => {
      eventsConsumed.inc({ consumer: opts.consumer, type: rawType, outcome });
      eventProcessingDuration.observe({ consumer: opts.consumer, type: rawType }, Number(process.hrtime.bigint() - started) / 1e9);
      const status = outcome === "retry" ? "RETRY" : outcome === "drop" ? "DROP" : "SUCCESS";
      res.status(200).json({ status });
    };
    if (!parsed.success) {
      opts.log.warn({ consumer: opts.consumer, id: req.body?.id, issues: parsed.error.issues.slice(0, 5) }, "dropping invalid event");
      done("drop");
      return;
    }
    try {
      done(await opts.handle(parsed.data));
    } catch (err) {
      if (err instanceof PermanentEventError) {
        opts.log.warn({ consumer: opts.consumer, id: req.body?.id, err: err.message }, "dropping event");
        done("drop");
      } else {
        opts.log.warn({ consumer: opts.consumer, id: req.body?.id, err: err instanceof Error ? err.message : String(err) }, "retrying event");
        done("retry");
      }
    }
  };
}
