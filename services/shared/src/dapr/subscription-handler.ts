import type { RequestHandler } from "express";
import type { z } from "zod";
import { isEventType } from "@todo/contracts/events";
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

/**
 * The metric `type` label for a delivery: its event type when the catalog lists it; otherwise a type
 * the catalog does not know is labelled as such (the event is dropped by the schema), and a body
 * without a string type as "missing". Bounded either way: the label never echoes what arrived.
 */
export const UNCATALOGUED_TYPE = "uncatalogued";
export const MISSING_TYPE = "missing";
export function typeLabel(body: unknown): string {
  const type = typeof body === "object" && body !== null ? (body as { type?: unknown }).type : undefined;
  if (typeof type !== "string") return MISSING_TYPE;
  return isEventType(type) ? type : UNCATALOGUED_TYPE;
}

/**
 * Express handler for one Dapr subscription route. Replies the Dapr status explicitly:
 * SUCCESS when handled (or a duplicate), RETRY on a transient failure (Dapr retries per Resiliency, then
 * dead-letters), DROP for an invalid event (Dapr sends it to the dead-letter topic at once).
 */
export function subscriptionHandler<S extends z.ZodType>(opts: SubscriptionHandlerOptions<S>): RequestHandler {
  return async (req, res) => {
    const started = process.hrtime.bigint();
    const rawType = typeLabel(req.body);
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
