import type { HistoryItem, Notification, Session, Task, TaskInput, TaskPage, TaskQuery } from "./types";

/** An API error with the server's message and the fields it names, ready to show to the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
  }
}

type FetchLike = typeof fetch;

/** The browser's client for `/api`: bearer token, JSON, and the one error shape turned into ApiError. */
export class ApiClient {
  constructor(
    private readonly getToken: () => string | null,
    private readonly onUnauthorized: () => void,
    private readonly fetchImpl: FetchLike = (...a) => fetch(...a),
  ) {}

  private async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const token = this.getToken();
    let res: Response;
    try {
      res = await this.fetchImpl(path, {
        method,
        headers: {
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new ApiError(0, "network", "Cannot reach the server. Check your connection and try again.");
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const data: unknown = text ? safeJson(text) : null;
    if (!res.ok) {
      if (res.status === 401 && token) this.onUnauthorized();
      throw toApiError(res.status, data);
    }
    return data as T;
  }

  signup(email: string, password: string) {
    return this.request<Session>("POST", "/api/auth/signup", { email, password });
  }
  login(email: string, password: string) {
    return this.request<Session>("POST", "/api/auth/login", { email, password });
  }
  listTasks(query: TaskQuery) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (k === "tags") for (const tag of v as string[]) params.append("tag", tag);
      else if (v) params.set(k, String(v));
    }
    const qs = params.toString();
    return this.request<TaskPage>("GET", `/api/tasks${qs ? `?${qs}` : ""}`);
  }
  createTask(input: TaskInput) {
    return this.request<Task>("POST", "/api/tasks", input);
  }
  updateTask(id: string, changes: Partial<TaskInput>, version: number) {
    return this.request<Task>("PATCH", `/api/tasks/${id}`, changes, { "if-match": `"${version}"` });
  }
  completeTask(id: string) {
    return this.request<Task>("POST", `/api/tasks/${id}/complete`);
  }
  reopenTask(id: string, version: number) {
    return this.request<Task>("POST", `/api/tasks/${id}/reopen`, undefined, { "if-match": `"${version}"` });
  }
  /** This occurrence of a series moves to the series' next slot. */
  skipOccurrence(id: string, version: number) {
    return this.request<Task>("POST", `/api/tasks/${id}/skip`, undefined, { "if-match": `"${version}"` });
  }
  /** This occurrence is the series' last: completing it creates no next one. */
  endSeries(id: string, version: number) {
    return this.request<Task>("POST", `/api/tasks/${id}/end-series`, undefined, { "if-match": `"${version}"` });
  }
  deleteTask(id: string) {
    return this.request<void>("DELETE", `/api/tasks/${id}`);
  }
  history(id: string) {
    return this.request<{ items: HistoryItem[] }>("GET", `/api/tasks/${id}/history`);
  }
  notifications() {
    return this.request<{ items: Notification[]; unreadCount: number }>("GET", "/api/notifications");
  }
  markRead(id: string) {
    return this.request<unknown>("POST", `/api/notifications/${id}/read`);
  }
  markAllRead() {
    return this.request<unknown>("POST", "/api/notifications/read-all");
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function toApiError(status: number, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const message = typeof err?.message === "string" ? err.message : `Request failed (HTTP ${status})`;
  const code = typeof err?.code === "string" ? err.code : "error";
  const fields = Array.isArray(err?.details)
    ? err.details.filter(
        (d): d is { field: string; message: string } => typeof d?.field === "string" && typeof d?.message === "string",
      )
    : [];
  return new ApiError(status, code, message, fields);
}
