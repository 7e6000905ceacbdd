import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { Notification, Session, Task, TaskInput, TaskQuery, WebSocketFrame } from "../api/types";
import { LiveUpdates, webSocketUrl, type LiveStatus } from "../live/live-updates";
import { Filters } from "./Filters";
import { HistoryPanel } from "./HistoryPanel";
import { NotificationsPanel } from "./NotificationsPanel";
import { TaskEditor } from "./TaskEditor";
import { TaskList } from "./TaskList";
import { Toasts, type Toast } from "./Toasts";

const UNDO_MS = 5000;

/** The signed-in screen: tasks, filters, editor, history, notifications, live updates. */
export function TodoApp({ api, session, onSignOut }: { api: ApiClient; session: Session; onSignOut: () => void }) {
  const [query, setQuery] = useState<TaskQuery>({ status: "pending", sort: "createdAt", order: "desc" });
  const [tasks, setTasks] = useState<Task[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Task | "new" | null>(null);
  const [historyOf, setHistoryOf] = useState<Task | null>(null);
  const [showNotifications, setShowNotifications] = useState(false);
  const [notifications, setNotifications] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [live, setLive] = useState<LiveStatus>("connecting");
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const toastId = useRef(0);
  const queryRef = useRef(query);
  queryRef.current = query;

  const toast = useCallback((t: Omit<Toast, "id">, ttl = 6000) => {
    const id = ++toastId.current;
    setToasts((all) => [...all, { ...t, id }]);
    setTimeout(() => setToasts((all) => all.filter((x) => x.id !== id)), ttl);
  }, []);
  const showError = useCallback((err: unknown) => toast({ kind: "error", text: err instanceof ApiError ? err.message : String(err) }), [toast]);

  const loadTasks = useCallback(async () => {
    try {
      const page = await api.listTasks({ ...queryRef.current, cursor: undefined });
      setTasks(page.items);
      setNextCursor(page.nextCursor);
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof ApiError ? err.message : String(err));
    }
  }, [api]);

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

  // Live updates: any task frame refetches the (filtered, sorted) list; a due reminder shows a toast.
  useEffect(() => {
    let refetch: ReturnType<typeof setTimeout> | undefined;
    const onFrame = (frame: WebSocketFrame) => {
      if (frame.type.startsWith("task.")) {
        clearTimeout(refetch);
        refetch = setTimeout(loadTasks, 50);
      } else if (frame.type === "reminder.due") {
        toast({ kind: "reminder", text: `Reminder: ${(frame.data as { title: string }).title}` }, 10_000);
        void loadNotifications();
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
      onConnected: () => {
        void loadTasks();
        void loadNotifications();
      },
    });
    conn.start();
    return () => {
      clearTimeout(refetch);
      conn.stop();
    };
  }, [session.token, loadTasks, loadNotifications, toast, onSignOut]);

  async function save(input: TaskInput) {
    if (editing === "new") await api.createTask(input);
    else if (editing) await api.updateTask(editing.id, input, editing.version);
    setEditing(null);
    await loadTasks();
  }

  async function complete(t: Task) {
    try {
      await api.completeTask(t.id);
      await loadTasks();
    } catch (err) {
      showError(err);
    }
  }

  // Deleting waits out the undo window before it reaches the server, so undo loses nothing.
  function remove(t: Task) {
    setHidden((h) => new Set(h).add(t.id));
    const timer = setTimeout(() => {
      api.deleteTask(t.id).then(loadTasks, showError).finally(() =>
        setHidden((h) => {
          const n = new Set(h);
          n.delete(t.id);
          return n;
        }),
      );
    }, UNDO_MS);
    toast(
      {
        kind: "info",
        text: `Deleted “${t.title}”.`,
        action: {
          label: "Undo",
          run: () => {
            clearTimeout(timer);
            setHidden((h) => {
              const n = new Set(h);
              n.delete(t.id);
              return n;
            });
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
      setTasks((all) => [...all, ...page.items]);
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

  const visible = useMemo(() => tasks.filter((t) => !hidden.has(t.id)), [tasks, hidden]);

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
        <span class="who">{session.user.email}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main class="content">
        <div class="toolbar">
          <button type="button" class="primary" onClick={() => setEditing("new")}>
            New task
          </button>
        </div>
        <Filters query={query} onChange={setQuery} />
        {loadError && <p class="form-error" role="alert">{loadError}</p>}
        <TaskList tasks={visible} onComplete={complete} onEdit={(t) => setEditing(t)} onDelete={remove} onHistory={setHistoryOf} />
        {nextCursor && (
          <button type="button" onClick={loadMore}>
            Load more
          </button>
        )}
      </main>
      {editing && <TaskEditor task={editing === "new" ? null : editing} onSave={save} onCancel={() => setEditing(null)} />}
      {historyOf && <HistoryPanel api={api} task={historyOf} onClose={() => setHistoryOf(null)} />}
      {showNotifications && <NotificationsPanel items={notifications} onRead={markRead} onClose={() => setShowNotifications(false)} />}
      <Toasts toasts={toasts} onDismiss={(id) => setToasts((all) => all.filter((t) => t.id !== id))} />
    </>
  );
}
