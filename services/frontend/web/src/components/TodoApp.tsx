import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { Notification, Session, Task, TaskInput, TaskQuery, WebSocketFrame } from "../api/types";
import { LiveUpdates, webSocketUrl, type LiveStatus } from "../live/live-updates";
import { appendPage, applyTask, matchesQuery, removeTask, type ListState } from "../live/task-list-state";
import { useShortcuts } from "../shortcuts";
import { formatWhen } from "../time";
import { msUntilNextDay, viewQuery, type View } from "../views";
import { Filters } from "./Filters";
import { HistoryPanel } from "./HistoryPanel";
import { NotificationsPanel } from "./NotificationsPanel";
import { QuickAdd } from "./QuickAdd";
import { ShortcutsHelp } from "./ShortcutsHelp";
import { TaskEditor } from "./TaskEditor";
import { TaskList } from "./TaskList";
import { Toasts, type Toast } from "./Toasts";
import { ViewTabs } from "./ViewTabs";

const UNDO_MS = 5000;
/** Deleted ids remembered so a late frame of a deleted task cannot bring it back. */
const DELETED_IDS = 500;

type Pending = Map<string, Task | "deleted">;

/** The signed-in screen: tasks, views, filters, editor, history, notifications, live updates. */
export function TodoApp({ api, session, onSignOut }: { api: ApiClient; session: Session; onSignOut: () => void }) {
  const [view, setView] = useState<View>("all");
  const [day, setDay] = useState(() => new Date());
  const [filters, setFilters] = useState<TaskQuery>({ status: "pending", sort: "createdAt", order: "desc" });
  const [list, setListState] = useState<ListState>({ tasks: [], hasMore: false });
  // Mirrored in a ref so a frame is applied to the latest list synchronously (and its gap known at once).
  const listRef = useRef(list);
  const setList = useCallback((s: ListState) => {
    listRef.current = s;
    setListState(s);
  }, []);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** The query the list last answered; the list is busy while the current query differs from it. */
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [editing, setEditing] = useState<Task | "new" | null>(null);
  const [historyOf, setHistoryOf] = useState<Task | null>(null);
  const [showNotifications, setShowNotifications] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const [notifications, setNotifications] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [live, setLive] = useState<LiveStatus>("connecting");
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  /** Tasks whose complete/reopen is in flight: the box shows the new state and takes no second click. */
  const [toggling, setToggling] = useState<Set<string>>(new Set());
  const toastId = useRef(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const quickAddRef = useRef<HTMLInputElement>(null);
  const deleted = useRef(new Set<string>());
  /** Task states learnt while a list fetch is in flight, re-applied over its (older) answer. */
  const pending = useRef<Pending | null>(null);
  const loadSeq = useRef(0);

  const query = useMemo<TaskQuery>(() => ({ ...filters, ...viewQuery(view, day) }), [filters, view, day]);
  const queryRef = useRef(query);
  queryRef.current = query;

  const toast = useCallback((t: Omit<Toast, "id">, ttl = 6000) => {
    const id = ++toastId.current;
    setToasts((all) => [...all, { ...t, id }]);
    setTimeout(() => setToasts((all) => all.filter((x) => x.id !== id)), ttl);
  }, []);
  const showError = useCallback((err: unknown) => toast({ kind: "error", text: err instanceof ApiError ? err.message : String(err) }), [toast]);

  /** The one way the list changes after a load: the latest state of a task, from a frame or an answer. */
  const learn = useCallback((task: Task | { id: string; deleted: true }) => {
    let gap = false;
    if ("deleted" in task) {
      deleted.current.add(task.id);
      if (deleted.current.size > DELETED_IDS) deleted.current.delete(deleted.current.values().next().value!);
      pending.current?.set(task.id, "deleted");
      setList(removeTask(listRef.current, task.id));
    } else {
      if (deleted.current.has(task.id)) return false;
      pending.current?.set(task.id, task);
      const r = applyTask(listRef.current, task, queryRef.current);
      setList(r.state);
      gap = r.gap;
    }
    return gap;
  }, [setList]);

  const loadTasks = useCallback(async () => {
    const seq = ++loadSeq.current;
    const key = JSON.stringify(queryRef.current);
    pending.current = new Map();
    try {
      const page = await api.listTasks({ ...queryRef.current, cursor: undefined });
      if (seq !== loadSeq.current) return; // a newer load (another query) wins
      const learnt = pending.current;
      pending.current = null;
      let state: ListState = { tasks: page.items.filter((t) => !deleted.current.has(t.id)), hasMore: page.nextCursor !== null };
      for (const [id, t] of learnt) state = t === "deleted" ? removeTask(state, id) : applyTask(state, t, queryRef.current).state;
      setList(state);
      setNextCursor(page.nextCursor);
      setLoadError(null);
      setLoadedKey(key);
    } catch (err) {
      if (seq !== loadSeq.current) return;
      pending.current = null;
      setLoadError(err instanceof ApiError ? err.message : String(err));
      setLoadedKey(key);
    }
  }, [api, setList]);

  const loadNotifications = useCallback(async () => {
    try {
      const r = await api.notifications();
      setNotifications(r.items);
      setUnread(r.unreadCount);
    } catch {
      /* the bell keeps its last count; the next frame or reconnect refetches */
    }
  }, [api]);

  useEffect(() => {
    const t = setTimeout(loadTasks, 150); // debounce typing in the search box
    return () => clearTimeout(t);
  }, [query, loadTasks]);

  // A day view's window moves at local midnight.
  useEffect(() => {
    const t = setTimeout(() => setDay(new Date()), msUntilNextDay(day) + 1000);
    return () => clearTimeout(t);
  }, [day]);

  // Live updates: task frames are applied to the list; the list is refetched only when the socket says
  // frames may be missing (first connect, a reconnect beyond the replay window) or a version gap shows.
  useEffect(() => {
    const onFrame = (frame: WebSocketFrame) => {
      if (frame.type.startsWith("task.") && "task" in frame.data) {
        const task = frame.data.task;
        const gap = frame.type === "task.deleted" ? learn({ id: task.id, deleted: true }) : learn(task);
        if (gap) void loadTasks();
      } else if (frame.type === "reminder.due") {
        toast({ kind: "reminder", text: `Reminder: ${frame.data.title}` }, 10_000);
      } else if (frame.type === "notification.sent") {
        void loadNotifications();
      }
    };
    const conn = new LiveUpdates({
      url: webSocketUrl(window.location),
      token: session.token,
      onFrame,
      onStatus: setLive,
      onExpired: onSignOut,
      onResync: () => {
        void loadTasks();
        void loadNotifications();
      },
    });
    conn.start();
    return () => conn.stop();
  }, [session.token, learn, loadTasks, loadNotifications, toast, onSignOut]);

  async function save(input: TaskInput) {
    const saved = editing === "new" ? await api.createTask(input) : editing ? await api.updateTask(editing.id, input, editing.version) : null;
    setEditing(null);
    if (saved) learn(saved);
  }

  async function quickAdd(title: string) {
    const task = await api.createTask({ title, description: "", priority: "medium", tags: [], dueAt: null, remindAt: null, recurrence: null });
    learn(task);
    // A task without a due date is in no day view: say where it went instead of showing nothing.
    if (!matchesQuery(task, queryRef.current)) toast({ kind: "info", text: `Added “${task.title}” — not in this view; it is under All.` });
  }

  async function toggleDone(t: Task) {
    if (toggling.has(t.id)) return;
    setToggling((s) => new Set(s).add(t.id));
    try {
      learn(t.status === "completed" ? await api.reopenTask(t.id, t.version) : await api.completeTask(t.id));
    } catch (err) {
      showError(err);
    } finally {
      setToggling((s) => {
        const n = new Set(s);
        n.delete(t.id);
        return n;
      });
    }
  }

  async function skip(t: Task) {
    try {
      const moved = await api.skipOccurrence(t.id, t.version);
      learn(moved);
      toast({ kind: "info", text: moved.dueAt ? `Skipped: “${moved.title}” is next due ${formatWhen(moved.dueAt, moved.timeZone)}.` : `Skipped “${moved.title}”.` });
    } catch (err) {
      showError(err);
    }
  }

  async function endSeries(t: Task) {
    try {
      learn(await api.endSeries(t.id, t.version));
      toast({ kind: "info", text: `Series ended: completing “${t.title}” creates no next occurrence. Changing its repeat rule starts a new series.` });
    } catch (err) {
      showError(err);
    }
  }

  // Deleting waits out the undo window before it reaches the server, so undo loses nothing.
  function remove(t: Task) {
    setHidden((h) => new Set(h).add(t.id));
    const unhide = () =>
      setHidden((h) => {
        const n = new Set(h);
        n.delete(t.id);
        return n;
      });
    const timer = setTimeout(() => {
      api
        .deleteTask(t.id)
        .then(() => learn({ id: t.id, deleted: true }), showError)
        .finally(unhide);
    }, UNDO_MS);
    toast(
      {
        kind: "info",
        text: `Deleted “${t.title}”.`,
        action: {
          label: "Undo",
          run: () => {
            clearTimeout(timer);
            unhide();
          },
        },
      },
      UNDO_MS,
    );
  }

  async function loadMore() {
    if (!nextCursor) return;
    try {
      const page = await api.listTasks({ ...query, cursor: nextCursor });
      setList(appendPage(listRef.current, page.items, page.nextCursor !== null));
      setNextCursor(page.nextCursor);
    } catch (err) {
      showError(err);
    }
  }

  async function markRead(n: Notification) {
    try {
      await api.markRead(n.id);
      await loadNotifications();
    } catch (err) {
      showError(err);
    }
  }

  async function markAllRead() {
    try {
      await api.markAllRead();
    } catch (err) {
      // A server without read-all (404 for the route) gets one call per unread notification.
      if (!(err instanceof ApiError && err.status === 404)) return showError(err);
      try {
        for (const n of notifications.filter((x) => !x.readAt)) await api.markRead(n.id);
      } catch (e) {
        showError(e);
      }
    }
    await loadNotifications();
  }

  const dialogOpen = editing !== null || showHelp;
  useShortcuts(
    {
      n: () => setEditing("new"),
      q: () => quickAddRef.current?.focus(),
      "/": () => searchRef.current?.focus(),
      "?": () => setShowHelp((v) => !v),
    },
    !dialogOpen,
  );

  const visible = useMemo(() => list.tasks.filter((t) => !hidden.has(t.id)), [list.tasks, hidden]);

  return (
    <>
      <header class="topbar">
        <h1>Todo</h1>
        <span class={`live live-${live}`} data-testid="live-status" aria-label={`Live updates: ${live}`}>
          {live === "live" ? "● Live" : live === "connecting" ? "○ Connecting" : "○ Offline — retrying"}
        </span>
        <button type="button" class="bell" onClick={() => setShowNotifications(true)} aria-label={`Notifications, ${unread} unread`}>
          Notifications <span class="count" data-testid="unread-count">{unread}</span>
        </button>
        <button type="button" onClick={() => setShowHelp(true)} aria-keyshortcuts="?">
          Shortcuts
        </button>
        <span class="who">{session.user.email}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main class="content">
        <div class="toolbar">
          <QuickAdd inputRef={quickAddRef} onAdd={quickAdd} onError={showError} />
          <button type="button" class="primary" onClick={() => setEditing("new")} aria-keyshortcuts="n">
            New task
          </button>
        </div>
        <ViewTabs view={view} onChange={setView} />
        <Filters query={filters} onChange={setFilters} searchRef={searchRef} dayView={view !== "all"} />
        {loadError && <p class="form-error" role="alert">{loadError}</p>}
        <section aria-label="Task list" aria-busy={loadedKey !== JSON.stringify(query)} data-testid="task-list">
          <TaskList tasks={visible} toggling={toggling} onToggleDone={toggleDone} onEdit={(t) => setEditing(t)} onDelete={remove} onHistory={setHistoryOf} onSkip={skip} onEndSeries={endSeries} />
        </section>
        {nextCursor && (
          <button type="button" onClick={loadMore}>
            Load more
          </button>
        )}
      </main>
      {editing && <TaskEditor task={editing === "new" ? null : editing} onSave={save} onCancel={() => setEditing(null)} />}
      {historyOf && <HistoryPanel api={api} task={historyOf} onClose={() => setHistoryOf(null)} />}
      {showNotifications && <NotificationsPanel items={notifications} onRead={markRead} onReadAll={markAllRead} onClose={() => setShowNotifications(false)} />}
      {showHelp && <ShortcutsHelp onClose={() => setShowHelp(false)} />}
      <Toasts toasts={toasts} onDismiss={(id) => setToasts((all) => all.filter((t) => t.id !== id))} />
    </>
  );
}
