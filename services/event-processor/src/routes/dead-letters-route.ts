import { Router, type RequestHandler } from "express";
import { z } from "zod";
import { HttpError, parse, unauthorized } from "../../../shared/src/http/errors";
import { PUBSUB_NAME } from "@todo/contracts/topology";
import { callSidecar, type SidecarAddress } from "../../../shared/src/dapr/sidecar";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { deadLettersReplayed, eventsDeadLettered } from "../../../shared/src/telemetry/dead-letter-metrics";
import { deadLetterOf } from "../domain/dead-letter";
import { isOperatorToken } from "../operator/operator-token";
import { replayPlanOf } from "../domain/replay-event";
import { listDeadLetters, markReplayed, openDeadLetters, recordDeadLetter, reopen } from "../data/dead-letter-store";
import type pg from "pg";
import { allTopics, deadLetterTopic, subscriptionRoute } from "@todo/contracts/topology";

/** Where topology has Dapr deliver each dead-letter topic (one route today; taken from topology, not repeated). */
const deadLetterRoutes = [...new Set(allTopics.map((t) => subscriptionRoute("event-processor", deadLetterTopic(t))))];

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const ReplayBody = z.union([
  z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
  z.strictObject({ all: z.literal(true), limit: z.number().int().min(1).max(500).default(500) }),
]);

export interface DeadLetterDeps {
  pool: pg.Pool;
  log: Logger;
  sidecar: SidecarAddress;
  /** The JWT secret operator tokens are checked with (read from the secret store on first use). */
  operatorSecret: () => Promise<string>;
}

/** Only an operator token (operator/operator-token.ts) opens the operator routes: 401 otherwise. */
function requireOperator(secret: () => Promise<string>): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const token = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : undefined;
    try {
      if (!token || !(await isOperatorToken(await secret(), token))) return next(unauthorized("an operator token is required"));
      next();
    } catch (err) {
      next(new HttpError(503, "unavailable", "operator tokens cannot be checked right now", { reason: err instanceof Error ? err.message : String(err) }));
    }
  };
}

/**
 * Every dead-letter topic ends here. Whatever arrived is stored and counted once, and the reply is
 * SUCCESS even for garbage, so a dead letter never loops; only a database failure asks for a retry.
 */
export function deadLettersRouter(deps: DeadLetterDeps): Router {
  const router = Router();
  router.post(deadLetterRoutes, async (req, res) => {
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

  // For an operator (`npm run dead-letters`; port-forward or service invocation — the ingress never
  // routes /internal), with an operator token.
  const operator = requireOperator(deps.operatorSecret);
  router.get("/internal/dead-letters", operator, async (req, res) => {
    const { limit } = parse(ListQuery, req.query, "query");
    res.json({ items: await listDeadLetters(deps.pool, limit) });
  });

  /**
   * Re-publishes open dead letters to their original topic through this app's sidecar. Idempotent: a
   * letter is marked replayed before it is published (a concurrent replay of the same letter skips
   * it), reopened if the publish fails, and the consumers ignore an event id they have processed. A
   * letter that fails again comes back open (recordDeadLetter).
   */
  router.post("/internal/dead-letters/replay", operator, async (req, res) => {
    const body = parse(ReplayBody, req.body ?? {}, "body");
    const rows = await openDeadLetters(deps.pool, "ids" in body ? { ids: body.ids } : { all: true }, "ids" in body ? body.ids.length : body.limit);
    const results: Array<{ id: number; eventId: string | null; outcome: "replayed" | "skipped" | "failed"; reason?: string }> = [];
    for (const row of rows) {
      const plan = replayPlanOf(row);
      if (plan.kind === "skip") {
        deadLettersReplayed.inc({ topic: row.topic, outcome: "skipped" });
        results.push({ id: row.id, eventId: row.eventId, outcome: "skipped", reason: plan.reason });
        continue;
      }
      if (!(await markReplayed(deps.pool, row.id))) continue; // another replay took it
      const query = plan.partitionKey ? `?metadata.partitionKey=${encodeURIComponent(plan.partitionKey)}` : "";
      const published = await callSidecar(deps.sidecar, "POST", `/v1.0/publish/${PUBSUB_NAME}/${plan.topic}${query}`, {
        body: JSON.stringify(plan.event),
        contentType: "application/cloudevents+json",
        timeoutMs: 5000,
      }).then((r) => (r.status >= 200 && r.status <= 299 ? undefined : `HTTP ${r.status}`), (err: Error) => err.message);
      if (published !== undefined) {
        await reopen(deps.pool, row.id);
        deadLettersReplayed.inc({ topic: row.topic, outcome: "failed" });
        results.push({ id: row.id, eventId: row.eventId, outcome: "failed", reason: published });
        continue;
      }
      deadLettersReplayed.inc({ topic: row.topic, outcome: "replayed" });
      deps.log.info({ id: row.id, eventId: row.eventId, topic: row.topic }, "dead letter replayed");
      results.push({ id: row.id, eventId: row.eventId, outcome: "replayed" });
    }
    res.json({ results });
  });
  return router;
}
