import type pg from "pg";
import { COLUMNS, toRecord, type TaskRow } from "./tasks";
import type { FeedPosition } from "../domain/feed-cursor";
import type { TaskRecord } from "../domain/task-record";

type Db = pg.Pool | pg.PoolClient;

/** How long a deletion stays visible to the change feed; an older `updatedAfter` must refetch. */
export const TOMBSTONE_RETENTION_DAYS = 30;

export type Change = { kind: "task"; at: string; id: string; record: TaskRecord } | { kind: "deleted"; at: string; id: string };

export async function recordTombstone(db: Db, taskId: string, userId: string, deletedAt: string): Promise<void> {
  await db.query("INSERT INTO backend.task_tombstones (task_id, user_id, deleted_at) VALUES ($1, $2, $3) ON CONFLICT (task_id) DO NOTHING", [
    taskId,
    userId,
    deletedAt,
  ]);
}

/**
 * The user's changes after `since` (a time, or the position a previous page ended at), oldest first:
 * tasks by updatedAt and deletions by their time, merged in (time, id) order. Returns up to limit+1.
 */
export async function changesAfter(db: Db, userId: string, since: string | FeedPosition, limit: number): Promise<Change[]> {
  const [at, id] = typeof since === "string" ? [since, null] : [since.at, since.id];
  // without an id: strictly after the time; with one: after the (time, id) position
  const after = (timeCol: string, idCol: string) => `($3::uuid IS NULL AND ${timeCol} > $2 OR (${timeCol}, ${idCol}) > ($2, $3::uuid))`;
  const [tasks, tombstones] = await Promise.all([
    db.query<TaskRow>(
      `SELECT ${COLUMNS} FROM backend.tasks WHERE user_id = $1 AND ${after("updated_at", "id")} ORDER BY updated_at, id LIMIT $4`,
      [userId, at, id, limit + 1],
    ),
    db.query<{ task_id: string; deleted_at: string }>(
      `SELECT task_id, deleted_at FROM backend.task_tombstones WHERE user_id = $1 AND ${after("deleted_at", "task_id")} ORDER BY deleted_at, task_id LIMIT $4`,
      [userId, at, id, limit + 1],
    ),
  ]);
  const changes: Change[] = [
    ...tasks.rows.map((r): Change => ({ kind: "task", at: r.updated_at, id: r.id, record: toRecord(r) })),
    ...tombstones.rows.map((r): Change => ({ kind: "deleted", at: r.deleted_at, id: r.task_id })),
  ];
  changes.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return changes.slice(0, limit + 1);
}

/** Deletions older than the retention window (the relay's periodic cleanup). */
export async function deleteOldTombstones(db: Db, now: Date): Promise<number> {
  const res = await db.query("DELETE FROM backend.task_tombstones WHERE deleted_at < $1", [new Date(now.getTime() - TOMBSTONE_RETENTION_DAYS * 86_400_000).toISOString()]);
  return res.rowCount ?? 0;
}
