import type { Task, TaskQuery } from "../api/types";

/**
 * The list the page shows, kept current from pushed frames and API answers instead of refetching:
 * a task is placed where the server's query would put it, or removed when it no longer matches.
 * The rules mirror `GET /api/tasks` (filters; sort column then id, nulls last; half-open due window).
 */
export interface ListState {
  tasks: Task[];
  /** The server has more pages: a task sorting after the last loaded one belongs to a later page. */
  hasMore: boolean;
}

export interface Applied {
  state: ListState;
  /** The task's version jumped past the one the page knew: frames were missed, so refetch. */
  gap: boolean;
}

/** Case-insensitive, with the German sharp s folded as full case folding does (Straße = STRASSE). */
function fold(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/ß/g, "ss");
}

export function matchesQuery(t: Task, q: TaskQuery): boolean {
  if (q.status && t.status !== q.status) return false;
  if (q.priority && t.priority !== q.priority) return false;
  if (q.tags?.length) {
    const own = new Set(t.tags.map(fold));
    if (!q.tags.every((tag) => own.has(fold(tag)))) return false;
  }
  const text = q.q?.trim();
  if (text && !fold(`${t.title}\n${t.description}`).includes(fold(text))) return false;
  if (q.dueAfter || q.dueBefore) {
    if (!t.dueAt) return false;
    const due = Date.parse(t.dueAt);
    if (q.dueAfter && due < Date.parse(q.dueAfter)) return false; // inclusive
    if (q.dueBefore && due >= Date.parse(q.dueBefore)) return false; // exclusive
  }
  return true;
}

const PRIORITY_RANK = { low: 1, medium: 2, high: 3 } as const;
const DEFAULT_ORDER = { dueAt: "asc", priority: "desc", createdAt: "desc", title: "asc" } as const;
const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: false });

/** The server's order for a query: the sort column (nulls last either way), then id, both in `order`. */
export function comparatorFor(q: TaskQuery): (a: Task, b: Task) => number {
  const sort = q.sort ?? "createdAt";
  const dir = (q.order ?? DEFAULT_ORDER[sort]) === "asc" ? 1 : -1;
  const byId = (a: Task, b: Task) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * dir;
  return (a, b) => {
    let c = 0;
    switch (sort) {
      case "dueAt":
        if (!a.dueAt || !b.dueAt) {
          if (a.dueAt !== b.dueAt) return a.dueAt ? -1 : 1; // nulls last in both directions
          break;
        }
        c = Date.parse(a.dueAt) - Date.parse(b.dueAt);
        break;
      case "priority":
        c = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
        break;
      case "createdAt":
        c = Date.parse(a.createdAt) - Date.parse(b.createdAt);
        break;
      case "title":
        c = collator.compare(a.title, b.title);
        break;
    }
    return c !== 0 ? Math.sign(c) * dir : byId(a, b);
  };
}

/** Applies the latest known state of one task (from a frame or an API answer). */
export function applyTask(state: ListState, task: Task, q: TaskQuery): Applied {
  const i = state.tasks.findIndex((t) => t.id === task.id);
  const known = i >= 0 ? state.tasks[i]! : null;
  if (known && known.version >= task.version) return { state, gap: false }; // a repeat or an older frame
  const gap = known !== null && task.version > known.version + 1;
  const rest = i >= 0 ? state.tasks.filter((_, n) => n !== i) : state.tasks;
  if (!matchesQuery(task, q)) return { state: i >= 0 ? { ...state, tasks: rest } : state, gap };
  const cmp = comparatorFor(q);
  const last = rest.at(-1);
  // Past the last loaded task of a paged list: it will come with "Load more".
  if (state.hasMore && last && cmp(task, last) > 0) return { state: { ...state, tasks: rest }, gap };
  let at = rest.findIndex((t) => cmp(task, t) < 0);
  if (at < 0) at = rest.length;
  return { state: { ...state, tasks: [...rest.slice(0, at), task, ...rest.slice(at)] }, gap };
}

export function removeTask(state: ListState, id: string): ListState {
  return state.tasks.some((t) => t.id === id) ? { ...state, tasks: state.tasks.filter((t) => t.id !== id) } : state;
}

/** A further page appended; a task already shown (moved while paging) keeps its newer version. */
export function appendPage(state: ListState, page: Task[], hasMore: boolean): ListState {
  const shown = new Set(state.tasks.map((t) => t.id));
  return { tasks: [...state.tasks, ...page.filter((t) => !shown.has(t.id))], hasMore };
}
