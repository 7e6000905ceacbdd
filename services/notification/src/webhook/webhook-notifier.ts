import type { Logger } from "../../../shared/src/telemetry/logger";
import { notificationsSent } from "../../../shared/src/telemetry/notification-metrics";
import type { Notification } from "../domain/notification";

/**
 * Best-effort copy of each new notification to an HTTP endpoint. It runs after the in-app
 * notification is stored and announced and never holds up the event delivery; failures are counted
 * and logged, not retried (the in-app notification is the record).
 */
export class WebhookNotifier {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  notify(n: Notification): void {
    const p = this.post(n).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Lets in-flight posts finish on shutdown. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async post(n: Notification): Promise<void> {
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "notification.sent",
          notificationId: n.id,
          userId: n.userId,
          taskId: n.taskId,
          title: n.title,
          message: n.message,
          remindAt: n.remindAt,
          createdAt: n.createdAt,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      notificationsSent.inc({ channel: "webhook", result: "success" });
    } catch (err) {
      notificationsSent.inc({ channel: "webhook", result: "failure" });
      this.log.warn({ notificationId: n.id, err: err instanceof Error ? err.message : String(err) }, "webhook delivery failed");
    }
  }
}
