import { Router } from "express";
import { AccountEvent, subscriptionHandler, subscriptions, type Logger } from "../../../shared/src";
import { ACCOUNT_ERASURE_CONSUMER, type AccountErasureConsumer } from "../consumers/account-erasure-consumer";

const route = subscriptions.find((s) => s.appId === "event-processor" && s.topic === "accounts")!.route;

/** Dapr delivers the `accounts` topic here (declarative Subscription rendered from topology.ts). */
export function accountsRouter(deps: { erasure: AccountErasureConsumer; log: Logger }): Router {
  const router = Router();
  router.post(route, subscriptionHandler({ consumer: ACCOUNT_ERASURE_CONSUMER, schema: AccountEvent, log: deps.log, handle: (e) => deps.erasure.handle(e) }));
  return router;
}
