import { Router } from "express";
import { z } from "zod";
import { parse, type Logger } from "../../../shared/src";
import { eventsDeadLettered } from "../../../shared/src/telemetry/dead-letter-metrics";
import { deadLetterOf } from "../domain/dead-letter";
import { listDeadLetters, recordDeadLetter } from "../data/dead-letter-store";
import type pg from "pg";

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/**
 * Every dead-letter topic ends here. Whatever arrived is stored and counted once, and the reply is
 * SUCCESS even for garbage, so a dead letter never loops; only a database failure asks for a retry.
 */
export function deadLettersRouter(deps: { pool: pg.Pool; log: Logger }): Router {
  const router = Router();
  router.post("/events/dead-letters", async (req, res) => {
    const letter = deadLetterOf(req.body);
    try {
      const first = await recordDeadLetter(deps.pool, letter);
      if (first) {
        eventsDeadLettered.inc({ topic: letter.topic, type: letter.type ?? "unknown" });
        deps.log.warn({ eventId: letter.eventId, topic: letter.topic, type: letter.type }, "event dead-lettered");
      }
      res.json({ status: "SUCCESS" });
    } catch (err) {
      deps.log.error({ err, eventId: letter.eventId }, "could not record dead letter");
      res.json({ status: "RETRY" });
    }
  });

  // For an operator (service invocation or port-forward; the ingress never routes /internal).
  router.get("/internal/dead-letters", async (req, res) => {
    const { limit } = parse(ListQuery, req.query, "query");
    res.json({ items: await listDeadLetters(deps.pool, limit) });
  });
  return router;
}
