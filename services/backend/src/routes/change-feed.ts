import type pg from "pg";
import { badRequest, HttpError } from "../../../shared/src/http/errors";
import { changesAfter, TOMBSTONE_RETENTION_DAYS } from "../data/change-feed";
import { decodeFeedCursor, encodeFeedCursor } from "../domain/feed-cursor";
import type { ListTasksInput } from "../domain/task-input";

/** The only parameters that go with `updatedAfter`: a filter would hide a task that stopped matching it. */
const FEED_PARAMS = new Set(["updatedAfter", "limit", "cursor"]);

/**
 * `GET /api/tasks?updatedAfter=<instant>`: for a client that was offline, everything of the user's that
 * changed after that instant, oldest first — `items` (whole tasks, created or changed) and `deleted`
 * (`{id, deletedAt}`), paged together by `nextCursor`. Deletions are kept 30 days: an older instant is
 * 410 `change_feed_expired` (refetch the full list). Applying a change twice is harmless, so clients
 * should ask with a few seconds' overlap (replicas' clocks stamp updatedAt).
 */
export async function changeFeed(db: pg.Pool, userId: string, query: Record<string, unknown>, input: ListTasksInput & { updatedAfter?: string }) {
  const extra = Object.keys(query).filter((k) => !FEED_PARAMS.has(k));
  if (extra.length > 0) {
    throw badRequest(
      "updatedAfter is the change feed and takes only limit and cursor",
      extra.map((field) => ({ field, message: "cannot be combined with updatedAfter" })),
    );
  }
  const since = input.updatedAfter!;
  if (Date.parse(since) < Date.now() - TOMBSTONE_RETENTION_DAYS * 86_400_000) {
    throw new HttpError(410, "change_feed_expired", `updatedAfter is older than the ${TOMBSTONE_RETENTION_DAYS} days deletions are kept: refetch the full list`, [
      { field: "updatedAfter", message: `at most ${TOMBSTONE_RETENTION_DAYS} days ago` },
    ]);
  }
  let position = null;
  if (input.cursor !== undefined) {
    position = decodeFeedCursor(input.cursor);
    if (!position) throw badRequest("cursor is malformed", [{ field: "cursor", message: "not a change-feed cursor from this API" }]);
  }
  const changes = await changesAfter(db, userId, position ?? since, input.limit);
  const page = changes.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.flatMap((c) => (c.kind === "task" ? [c.record.task] : [])),
    deleted: page.flatMap((c) => (c.kind === "deleted" ? [{ id: c.id, deletedAt: c.at }] : [])),
    nextCursor: changes.length > input.limit && last ? encodeFeedCursor({ at: last.at, id: last.id }) : null,
  };
}
