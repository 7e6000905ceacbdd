/**
 * The one source of truth for how the services are wired through Dapr: app-ids, ports, topics,
 * subscriptions (with their dead-letter topics), cron bindings. The local runtime routes with it and
 * the Pulumi program renders the Dapr `Subscription`/`Component` resources from it, so a route that
 * works under `npm start` is the route deployed to the cluster.
 */

export const PUBSUB_NAME = "pubsub";
export const SECRETSTORE_NAME = "secretstore";

export const topics = {
  taskEvents: "task-events",
  reminders: "reminders",
  notifications: "notifications",
  // account.deleted: every service that holds a user's data erases it
  accounts: "accounts",
} as const;
export type Topic = (typeof topics)[keyof typeof topics];

/** Every topic has one dead-letter topic; poison events land there after the retry policy. */
export function deadLetterTopic(topic: Topic): string {
  return `${topic}-deadletter`;
}
export const allTopics: readonly Topic[] = Object.values(topics);
export const allDeadLetterTopics: readonly string[] = allTopics.map(deadLetterTopic);

export type AppId =
  | "backend"
  | "event-processor"
  | "reminder-scheduler"
  | "notification"
  | "websocket"
  | "frontend";

export interface AppDefinition {
  id: AppId;
  /** Port the container listens on (also the Dapr `app-port`). */
  port: number;
  /** Whether the app runs with a Dapr sidecar. */
  dapr: boolean;
  /** Path prefix the ingress routes to this app, if it is public. */
  ingressPath?: "/api" | "/ws" | "/";
  /** Public path prefixes the ingress sends to this app instead of the backend (longest prefix wins). */
  extraIngressPaths?: string[];
}

export const apps: readonly AppDefinition[] = [
  { id: "backend", port: 3000, dapr: true, ingressPath: "/api" },
  // Serves the audit trail to the backend (service invocation), which fronts it as /api/tasks/:id/history.
  { id: "event-processor", port: 3001, dapr: true },
  { id: "reminder-scheduler", port: 3002, dapr: true },
  { id: "notification", port: 3003, dapr: true, extraIngressPaths: ["/api/notifications"] },
  { id: "websocket", port: 3004, dapr: true, ingressPath: "/ws" },
  { id: "frontend", port: 3005, dapr: false, ingressPath: "/" },
];

export function app(id: AppId): AppDefinition {
  const found = apps.find((a) => a.id === id);
  if (!found) throw new Error(`unknown app-id ${id}`);
  return found;
}

export interface SubscriptionDefinition {
  /** Kubernetes/Dapr resource name. */
  name: string;
  appId: AppId;
  topic: string;
  /** App route Dapr delivers to (POST). */
  route: string;
  /** Where events go after the resiliency retries are exhausted; absent only on dead-letter subscriptions. */
  deadLetterTopic?: string;
  /**
   * Every replica must receive every event (websocket fan-out): the pub/sub component used for this
   * subscription sets `consumerID: "{podName}"` so each pod is its own consumer group.
   */
  perReplica?: boolean;
}

export const subscriptions: readonly SubscriptionDefinition[] = [
  {
    name: "event-processor-task-events",
    appId: "event-processor",
    topic: topics.taskEvents,
    route: "/events/task-events",
    deadLetterTopic: deadLetterTopic(topics.taskEvents),
  },
  {
    name: "reminder-scheduler-reminders",
    appId: "reminder-scheduler",
    topic: topics.reminders,
    route: "/events/reminders",
    deadLetterTopic: deadLetterTopic(topics.reminders),
  },
  {
    name: "notification-reminders",
    appId: "notification",
    topic: topics.reminders,
    route: "/events/reminders",
    deadLetterTopic: deadLetterTopic(topics.reminders),
  },
  {
    name: "websocket-task-events",
    appId: "websocket",
    topic: topics.taskEvents,
    route: "/events/task-events",
    deadLetterTopic: deadLetterTopic(topics.taskEvents),
    perReplica: true,
  },
  {
    name: "websocket-reminders",
    appId: "websocket",
    topic: topics.reminders,
    route: "/events/reminders",
    deadLetterTopic: deadLetterTopic(topics.reminders),
    perReplica: true,
  },
  {
    name: "websocket-notifications",
    appId: "websocket",
    topic: topics.notifications,
    route: "/events/notifications",
    deadLetterTopic: deadLetterTopic(topics.notifications),
    perReplica: true,
  },
  { name: "websocket-accounts", appId: "websocket", topic: topics.accounts, route: "/events/accounts", deadLetterTopic: deadLetterTopic(topics.accounts), perReplica: true },
  // Account erasure (DELETE /api/account): each service deletes what it holds of the user.
  ...(["event-processor", "reminder-scheduler", "notification"] as const).map(
    (appId): SubscriptionDefinition => ({
      name: `${appId}-accounts`,
      appId,
      topic: topics.accounts,
      route: "/events/accounts",
      deadLetterTopic: deadLetterTopic(topics.accounts),
    }),
  ),
  // The operator's view of poison events: the event-processor records and counts every dead letter.
  ...allTopics.map(
    (topic): SubscriptionDefinition => ({
      name: `event-processor-${deadLetterTopic(topic)}`,
      appId: "event-processor",
      topic: deadLetterTopic(topic),
      route: "/events/dead-letters",
    }),
  ),
];

/** The route Dapr delivers `topic` to on `appId`; throws naming both when topology has no such subscription. */
export function subscriptionRoute(appId: AppId, topic: string): string {
  const found = subscriptions.find((s) => s.appId === appId && s.topic === topic);
  if (!found) throw new Error(`topology: ${appId} has no subscription to ${topic}`);
  return found.route;
}

export interface CronBindingDefinition {
  /** Component name; Dapr POSTs to `/<name>` on the app at each tick. */
  name: string;
  appId: AppId;
  schedule: string;
}

export const cronBindings: readonly CronBindingDefinition[] = [
  { name: "reminder-sweep", appId: "reminder-scheduler", schedule: "@every 30s" },
];
