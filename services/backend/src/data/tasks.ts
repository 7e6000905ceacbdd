import type pg from "pg";
import { preparedStatement } from "../../../shared/src/db/prepared-statement";
import { inTransaction } from "../../../shared/src/db/pool";
import type { AnyEvent } from "@todo/contracts/events";
import type { Task } from "@todo/contracts/task";
import { synced, type TaskRecord } from "../domain/task-record";
import type { ListCursor } from "../domain/list-cursor";
import type { ListTasksInput, SortKey } from "../domain/task-input";
import { outboxParams, outboxRows } from "./outbox";

type Db = pg.Pool | pg.PoolClient;

export const COLUMNS = `id, user_id, title, description, status, priority, priority_rank, tags, due_at, remind_at, recurrence,
  series_id, series_index, series_start, parent_task_id, created_at, updated_at, completed_at, version,
  time_zone, series_slot, series_ended`;

export interface TaskRow {
  id: string;
  user_id: string;
  title: string;
  description: string;
  status: Task["status"];
  priority: Task["priority"];
  priority_rank: number;
  tags: string[];
  due_at: string | null;
  remind_at: string | null;
  recurrence: string | null;
  series_id: string;
  series_index: number;
  series_start: string;
  parent_task_id: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  version: number;
  time_zone: string;
  series_slot: string | null;
  series_ended: boolean;
}

export function toRecord(r: TaskRow): TaskRecord {
  return synced({
    task: {
      id: r.id,
      userId: r.user_id,
      title: r.title,
      description: r.description,
      status: r.status,
      priority: r.priority,
      tags: r.tags,
      dueAt: r.due_at,
      remindAt: r.remind_at,
      recurrence: r.recurrence,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      completedAt: r.completed_at,
      version: r.version,
    },
    seriesId: r.series_id,
    seriesIndex: r.series_index,
    seriesStart: r.series_start,
    seriesSlot: r.series_slot ?? r.series_start,
    timeZone: r.time_zone,
    seriesEnded: r.series_ended,
    parentTaskId: r.parent_task_id,
  });
}

const INSERT_COLUMNS = `id, user_id, title, description, status, priority, tags, due_at, remind_at, recurrence,
       series_id, series_index, series_start, parent_task_id, created_at, updated_at, completed_at, version,
       time_zone, series_slot, series_ended`;

function insertTaskParams(rec: TaskRecord): unknown[] {
  const t = rec.task;
  return [t.id, t.userId, t.title, t.description, t.status, t.priority, t.tags, t.dueAt, t.remindAt, t.recurrence,
    rec.seriesId, rec.seriesIndex, rec.seriesStart, rec.parentTaskId, t.createdAt, t.updatedAt, t.completedAt, t.version,
    rec.timeZone, rec.seriesSlot, rec.seriesEnded];
}

/** The type of each insertTaskParams parameter, in order: a SELECT (unlike VALUES) does not take them from the columns. */
const INSERT_TASK_TYPES = ["uuid", "uuid", "text", "text", "text", "text", "text[]", "timestamptz", "timestamptz", "text",
  "uuid", "integer", "timestamptz", "uuid", "timestamptz", "timestamptz", "timestamptz", "integer",
  "text", "timestamptz", "boolean"];

/** What a create came to: written, refused by the quota, or its owner's account is gone. */
export type CreateOutcome = "inserted" | "quota" | "no-user";

/**
 * A new task and its outbox events in ONE statement, inserted only while the user holds fewer than
 * `quota` tasks: a statement is atomic on its own, so this needs no BEGIN/COMMIT, and the quota check
 * is not a round trip of its own. The quota is the user's `task_count` (migration 1780200000000), raised
 * here only when it is below `quota`: the UPDATE locks the user's row, so concurrent creates of one
 * user take turns and each sees the others' count (READ COMMITTED re-checks the WHERE on the row they
 * waited for): the bound is exact. Every statement that adds or removes a task keeps the counter.
 */
const QUOTA_PARAM = INSERT_TASK_TYPES.length + 1;
const INSERT_COUNTED_TASK = preparedStatement(
  "backend-insert-counted-task",
  `WITH counted AS (
     UPDATE backend.users SET task_count = task_count + 1 WHERE id = $2::uuid AND task_count < $${QUOTA_PARAM} RETURNING id),
   task AS (
     INSERT INTO backend.tasks (${INSERT_COLUMNS})
     SELECT ${INSERT_TASK_TYPES.map((type, i) => `$${i + 1}::${type}`).join(", ")}
     WHERE EXISTS (SELECT 1 FROM counted)
     RETURNING id)
   INSERT INTO backend.outbox (event_id, task_id, type, payload) SELECT * FROM (${outboxRows(QUOTA_PARAM)}) o WHERE EXISTS (SELECT 1 FROM task)`,
);

export async function insertTaskWithEvents(db: Db, rec: TaskRecord, events: AnyEvent[], quota: number): Promise<CreateOutcome> {
  const res = await db.query(INSERT_COUNTED_TASK([...insertTaskParams(rec), quota, ...outboxParams(events)]));
  if ((res.rowCount ?? 0) > 0) return "inserted";
  // refused: by the quota, or because no user row was there to count on (an erased account's token)
  const user = await db.query("SELECT 1 FROM backend.users WHERE id = $1", [rec.task.userId]);
  return user.rowCount === 0 ? "no-user" : "quota";
}

/**
 * Sets the user's task_count to the rows the user holds; true when it was off. Run only when a create
 * was refused, so a counter left too high (by a backend replica of before migration 1780200000000
 * deleting tasks during a rolling update) cannot refuse creates for good. The user's row is locked
 * first, in a statement of its own, so the count that follows (a new snapshot) sees every create and
 * delete that committed its change of the counter, and waits out none that has not: those change it
 * after this commit, from the value set here.
 */
export async function recountTasks(pool: pg.Pool, userId: string): Promise<boolean> {
  return inTransaction(pool, async (c) => {
    await c.query("SELECT 1 FROM backend.users WHERE id = $1 FOR NO KEY UPDATE", [userId]);
    const res = await c.query(
      `UPDATE backend.users SET task_count = held.n FROM (SELECT count(*)::integer AS n FROM backend.tasks WHERE user_id = $1) held
       WHERE id = $1 AND task_count <> held.n`,
      [userId],
    );
    return (res.rowCount ?? 0) > 0;
  });
}

export async function updateTask(db: Db, rec: TaskRecord): Promise<void> {
  const t = rec.task;
  await db.query(
    `UPDATE backend.tasks SET title = $2, description = $3, status = $4, priority = $5, tags = $6, due_at = $7,
       remind_at = $8, recurrence = $9, series_id = $10, series_index = $11, series_start = $12,
       updated_at = $13, completed_at = $14, version = $15, time_zone = $16, series_slot = $17, series_ended = $18
     WHERE id = $1`,
    [t.id, t.title, t.description, t.status, t.priority, t.tags, t.dueAt, t.remindAt, t.recurrence,
      rec.seriesId, rec.seriesIndex, rec.seriesStart, t.updatedAt, t.completedAt, t.version, rec.timeZone, rec.seriesSlot, rec.seriesEnded],
  );
}

/** Deletes the task and takes it off its owner's task_count, in one statement. */
export async function deleteTask(db: Db, id: string): Promise<void> {
  await db.query(
    `WITH gone AS (DELETE FROM backend.tasks WHERE id = $1 RETURNING user_id)
     UPDATE backend.users u SET task_count = u.task_count - 1 FROM gone WHERE u.id = gone.user_id`,
    [id],
  );
}

/** The task if it exists and (when userId is given) belongs to that user; `lock` holds it until commit. */
export async function findTask(db: Db, id: string, opts: { userId?: string; lock?: boolean } = {}): Promise<TaskRecord | null> {
  const res = await db.query<TaskRow>(
    `SELECT ${COLUMNS} FROM backend.tasks WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) ${opts.lock ? "FOR UPDATE" : ""}`,
    [id, opts.userId ?? null],
  );
  return res.rows[0] ? toRecord(res.rows[0]) : null;
}

/** The task's status and version if it still exists. */
export async function stateOf(db: Db, id: string): Promise<Pick<Task, "status" | "version"> | null> {
  const res = await db.query<Pick<Task, "status" | "version">>("SELECT status, version FROM backend.tasks WHERE id = $1", [id]);
  return res.rows[0] ?? null;
}

/**
 * Inserts the occurrence a completion event asked for, once: `created_by_event` is UNIQUE, so a
 * redelivered event (or a second replica) finds the row instead. The parent may have been deleted
 * since it was completed; the occurrence is created all the same (parent_task_id then stays null).
 * Returns the task created, or the one that event created before.
 */
export async function insertOccurrenceOnce(db: Db, rec: TaskRecord, eventId: string, events: AnyEvent[]): Promise<{ rec: TaskRecord; created: boolean; ownerGone?: boolean }> {
  // A parent that still exists has at most one next occurrence (UNIQUE parent_task_id), whichever
  // completion event asked first.
  const child = rec.parentTaskId === null ? null : await findChildOf(db, rec.parentTaskId);
  if (child) return { rec: child, created: false };
  for (let attempt = 1; ; attempt++) {
    try {
      return await insertOnce(db, rec, eventId, events);
    } catch (err) {
      const { code, constraint } = err as { code?: string; constraint?: string };
      const raced = code === "23505" && rec.parentTaskId !== null ? await findChildOf(db, rec.parentTaskId) : null;
      if (raced) return { rec: raced, created: false };
      // The parent was deleted between the statement's snapshot and its foreign-key check ("clear
      // completed" right after the tick): once more, and the parent reads as gone (issue 18.1).
      if (code === "23503" && constraint?.includes("parent_task_id") && attempt < 3) continue;
      // the owner's account is gone (users → tasks foreign key): nobody to create it for
      if (code === "23503" && constraint?.includes("user_id")) return { rec, created: false, ownerGone: true };
      throw err;
    }
  }
}

const INSERT_OCCURRENCE = preparedStatement(
  "backend-insert-occurrence",
  `WITH task AS (
     INSERT INTO backend.tasks (id, user_id, title, description, status, priority, tags, due_at, remind_at, recurrence,
       series_id, series_index, series_start, parent_task_id, created_at, updated_at, completed_at, version,
       time_zone, series_slot, series_ended, created_by_event)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
       (SELECT p.id FROM backend.tasks p WHERE p.id = $14::uuid FOR KEY SHARE),
       $15, $16, $17, $18, $19, $20, $21, $22)
     ON CONFLICT (created_by_event) DO NOTHING
     RETURNING id),
   -- Not bounded by the quota (the series was accepted when created), but counted. The parent is
   -- locked above (KEY SHARE, what the foreign-key check takes anyway) before the user's row here: a
   -- delete locks the task, then the user's row (deleteTask), so both take them in that order.
   counted AS (UPDATE backend.users SET task_count = task_count + 1 WHERE id = $2::uuid AND EXISTS (SELECT 1 FROM task)),
   outbox AS (INSERT INTO backend.outbox (event_id, task_id, type, payload) SELECT * FROM (${outboxRows(22)}) o WHERE EXISTS (SELECT 1 FROM task))
   SELECT id FROM task`,
);

async function insertOnce(db: Db, rec: TaskRecord, eventId: string, events: AnyEvent[]): Promise<{ rec: TaskRecord; created: boolean }> {
  const res = await db.query<{ id: string }>(INSERT_OCCURRENCE([...insertTaskParams(rec), eventId, ...outboxParams(events)]));
  if (res.rows.length > 0) return { rec, created: true };
  const existing = await db.query<TaskRow>(`SELECT ${COLUMNS} FROM backend.tasks WHERE created_by_event = $1`, [eventId]);
  if (!existing.rows[0]) throw new Error(`occurrence of event ${eventId} neither inserted nor found`);
  return { rec: toRecord(existing.rows[0]), created: false };
}

const CHILD_OF = preparedStatement("backend-task-child-of", `SELECT ${COLUMNS} FROM backend.tasks WHERE parent_task_id = $1`);

export async function findChildOf(db: Db, parentId: string): Promise<TaskRecord | null> {
  const res = await db.query<TaskRow>(CHILD_OF([parentId]));
  return res.rows[0] ? toRecord(res.rows[0]) : null;
}

const sortColumn: Record<SortKey, string> = {
  dueAt: "due_at",
  priority: "priority_rank",
  createdAt: "created_at",
  // ICU reading order (migration 1767398400000): case and accents only break ties, digits compare as numbers
  title: "(title COLLATE backend.reading_order)",
};
const castOf: Record<SortKey, string> = { dueAt: "timestamptz", priority: "smallint", createdAt: "timestamptz", title: "text COLLATE backend.reading_order" };

/** The value a cursor records for a row under a sort. */
export function sortValueOf(sort: SortKey, rec: TaskRecord): string | number | null {
  const t = rec.task;
  switch (sort) {
    case "dueAt":
      return t.dueAt;
    case "priority":
      return t.priority === "low" ? 1 : t.priority === "medium" ? 2 : 3;
    case "createdAt":
      return t.createdAt;
    case "title":
      return t.title;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Full case folding as PostgreSQL does it under ICU: upper then lower, so "Straße" and "STRASSE" meet. */
const folded = (sql: string): string => `lower(upper(${sql} COLLATE backend.reading_order))`;

/**
 * One page of a user's tasks in keyset order (sort column, then id as the tie-breaker; nulls last).
 * `q` is a substring match on title and description under full case folding (LIKE with escaped
 * wildcards; bounded by the user's own rows, which the user_id index selects). `tag` (one or more)
 * keeps tasks carrying every tag given, case-insensitively. `dueAfter` is inclusive and `dueBefore`
 * exclusive, so consecutive windows neither overlap nor miss a task due at the boundary.
 * Returns one row more than asked when there is a next page.
 */
export async function listTasks(db: Db, userId: string, input: ListTasksInput, cursor: ListCursor | null): Promise<TaskRecord[]> {
  const params: unknown[] = [userId];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ["user_id = $1"];
  if (input.status) where.push(`status = ${p(input.status)}`);
  if (input.priority) where.push(`priority = ${p(input.priority)}`);
  if (input.tag.length > 0) where.push(`backend.fold_tags(tags) @> backend.fold_tags(${p(input.tag)}::text[])`);
  if (input.q) {
    // the columns hold the same fold, computed on write (migration 1767398400000)
    const pattern = folded(`${p(`%${escapeLike(input.q)}%`)}::text`);
    where.push(`(title_folded LIKE ${pattern} OR description_folded LIKE ${pattern})`);
  }
  if (input.dueBefore) where.push(`due_at < ${p(input.dueBefore)}`);
  if (input.dueAfter) where.push(`due_at >= ${p(input.dueAfter)}`);

  const col = sortColumn[input.sort];
  const dir = input.order === "asc" ? "ASC" : "DESC";
  const after = input.order === "asc" ? ">" : "<";
  if (cursor) {
    const id = p(cursor.id);
    if (cursor.value === null) {
      // only dueAt has nulls; they come last, so what follows is the rest of the nulls
      where.push(`(${col} IS NULL AND id ${after} ${id})`);
    } else {
      const v = `${p(cursor.value)}::${castOf[input.sort]}`;
      const keyed = `(${col}, id) ${after} (${v}, ${id})`;
      where.push(input.sort === "dueAt" ? `(${keyed} OR ${col} IS NULL)` : keyed);
    }
  }
  const res = await db.query<TaskRow>(
    `SELECT ${COLUMNS} FROM backend.tasks WHERE ${where.join(" AND ")}
     ORDER BY ${col} ${dir} NULLS LAST, id ${dir} LIMIT ${p(input.limit + 1)}`,
    params,
  );
  return res.rows.map(toRecord);
}

/** One page of the user's tasks in creation order, after (createdAt, id) when given: the export's walk. */
export async function tasksPage(db: Db, userId: string, after: { createdAt: string; id: string } | null, limit: number): Promise<TaskRecord[]> {
  const res = await db.query<TaskRow>(
    `SELECT ${COLUMNS} FROM backend.tasks WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
     ORDER BY created_at, id LIMIT $4`,
    [userId, after?.createdAt ?? null, after?.id ?? null, limit],
  );
  return res.rows.map(toRecord);
}
