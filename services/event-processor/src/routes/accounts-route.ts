import { Router } from "express";
import { AccountEvent } from "@todo/contracts/events";
import { subscriptionHandler } from "../../../shared/src/dapr/subscription-handler";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { subscriptionRoute, topics } from "@todo/contracts/topology";
import { ACCOUNT_ERASURE_CONSUMER, type AccountErasureConsumer } from "../consumers/account-erasure-consumer";

const route = subscriptionRoute("event-processor", topics.accounts);

/** Dapr delivers the `accounts` topic here (declarative Subscription rendered from topology.ts). */
export function accountsRouter(deps: { erasure: AccountErasureConsumer; log: Logger }): Router {
  const router = Router();
  router.post(route, subscriptionHandler({ consumer: ACCOUNT_ERASURE_CONSUMER, schema: AccountEvent, log: deps.log, handle: (e) => deps.erasure.handle(e) }));
  return router;
}
