import type pg from "pg";
import { inTransaction } from "../../../shared/src/db/pool";
import { makeEvent } from "@todo/contracts/envelope";
import { type EventOf, type ReminderEvent } from "@todo/contracts/events";
import { oncePerEvent } from "../../../shared/src/db/idempotency";
import { publishEvent } from "../../../shared/src/dapr/publisher";
import type { SidecarAddress } from "../../../shared/src/dapr/sidecar";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { notificationsSent } from "../../../shared/src/telemetry/notification-metrics";
import { notificationOfReminder, type Notification } from "../domain/notification";
import { isErased } from "./account-erasure-consumer";
import { insertNotification, lockNotificationOfReminder, markPublished } from "../data/notification-store";

export const NOTIFICATION_CONSUMER = "notification";

/**
 * `reminder.due` → one in-app notification per reminder, then `notification.sent`.
 * The row commits first (the user sees it in the list even while the broker is down); publishing
 * happens under a row lock and sets `published_at` in the same transaction, so a failed publish leaves
 * the row unpublished and the RETRY publishes it, and two replicas never both publish it. The event id
 * of notification.sent is the notification id, so a repeat after a lost commit is recognisable.
 */
export class ReminderConsumer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly sidecar: SidecarAddress,
    private readonly log: Logger,
    private readonly onSent: (n: Notification) => void = () => undefined,
  ) {}

  async handle(event: ReminderEvent): Promise<"success" | "duplicate"> {
    // reminder.scheduled/cancelled on this topic belong to the reminder-scheduler
    if (event.type !== "reminder.due") return "success";
    // a late reminder of an erased account (account.deleted came first on another partition)
    if (await isErased(this.pool, event.userId)) return "duplicate";
    const fresh = notificationOfReminder(event);
    let created = false;
    await oncePerEvent(this.pool, NOTIFICATION_CONSUMER, event.id, async (db) => {
      created = await insertNotification(db, fresh);
    });
    const published = await this.publishIfPending(event, fresh.taskId, fresh.remindAt);
    return created || published ? "success" : "duplicate";
  }

  private async publishIfPending(event: EventOf<"reminder.due">, taskId: string, remindAt: string): Promise<boolean> {
    const sent = await inTransaction(this.pool, async (db) => {
      const n = await lockNotificationOfReminder(db, taskId, remindAt);
      if (!n) throw new Error(`notification for task ${taskId} at ${remindAt} is missing`);
      if (n.publishedAt) return null;
      try {
        await publishEvent(
          this.sidecar,
          makeEvent({
            type: "notification.sent",
            id: n.id,
            source: "notification",
            subject: n.taskId,
            userId: n.userId,
            correlationId: event.correlationId,
            data: { notificationId: n.id, taskId: n.taskId, channel: "in-app", title: n.title, message: n.message, createdAt: n.createdAt },
          }),
        );
      } catch (err) {
        notificationsSent.inc({ channel: "in-app", result: "failure" });
        throw err;
      }
      await markPublished(db, n.id);
      return n;
    });
    if (!sent) return false;
    notificationsSent.inc({ channel: "in-app", result: "success" });
    this.log.info({ notificationId: sent.id, taskId, userId: sent.userId }, "notification sent");
    this.onSent(sent);
    return true;
  }
}
