import type pg from "pg";
import type { NewNotification, Notification } from "../domain/notification";

const COLUMNS = `id, user_id AS "userId", task_id AS "taskId", remind_at AS "remindAt", channel, title, message,
  created_at AS "createdAt", read_at AS "readAt", published_at AS "publishedAt", seq`;

type Db = pg.Pool | pg.PoolClient;

/** true when it is new; an existing notification for the same reminder is left as it is. */
export async function insertNotification(db: Db, n: NewNotification): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO notifications (user_id, task_id, remind_at, title, message) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (task_id, remind_at) DO NOTHING`,
    [n.userId, n.taskId, n.remindAt, n.title, n.message],
  );
  return (rowCount ?? 0) > 0;
}

/** Locks the reminder's notification until the transaction ends, so only one replica publishes it. */
export async function lockNotificationOfReminder(db: pg.PoolClient, taskId: string, remindAt: string): Promise<Notification | null> {
  const { rows } = await db.query<Notification>(`SELECT ${COLUMNS} FROM notifications WHERE task_id = $1 AND remind_at = $2 FOR UPDATE`, [taskId, remindAt]);
  return rows[0] ?? null;
}

export async function markPublished(db: pg.PoolClient, id: string): Promise<void> {
  await db.query("UPDATE notifications SET published_at = now() WHERE id = $1", [id]);
}

/** Newest first, older than `beforeSeq` when given; pass limit+1 to learn whether there is a next page. */
export async function listNotifications(db: Db, userId: string, limit: number, beforeSeq: number | null): Promise<Notification[]> {
  const { rows } = await db.query<Notification>(
    `SELECT ${COLUMNS} FROM notifications WHERE user_id = $1 AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3`,
    [userId, beforeSeq, limit],
  );
  return rows;
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL", [userId]);
  return rows[0]!.n;
}

/**
 * Marks the user's notification read. `changed` is false when it already was (idempotent); null when
 * the user has no such notification.
 */
export async function markRead(db: Db, userId: string, id: string): Promise<{ notification: Notification; changed: boolean } | null> {
  const updated = await db.query<Notification>(
    `UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL RETURNING ${COLUMNS}`,
    [id, userId],
  );
  if (updated.rows[0]) return { notification: updated.rows[0], changed: true };
  const existing = await db.query<Notification>(`SELECT ${COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2`, [id, userId]);
  return existing.rows[0] ? { notification: existing.rows[0], changed: false } : null;
}

/** Marks all of the user's unread notifications read; returns how many were unread. */
export async function markAllRead(db: Db, userId: string): Promise<number> {
  const { rowCount } = await db.query("UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL", [userId]);
  return rowCount ?? 0;
}
