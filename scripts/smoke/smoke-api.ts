/**
 * The slice of the public HTTP API the smoke journey drives. Every response is checked for its
 * status and parsed with the shared contracts, so a drifting API fails with the field's name.
 */
import { z } from "zod";
import { TaskSchema, type Task } from "@todo/contracts/task";

export class SmokeFailure extends Error {}

const Session = z.object({
  token: z.string().min(1),
  user: z.object({ id: z.uuid(), email: z.string() }),
});
export type Session = z.infer<typeof Session>;

const TaskPage = z.object({ items: z.array(z.unknown()), nextCursor: z.string().nullable() });
const NotificationList = z.object({
  items: z.array(z.object({ id: z.uuid(), taskId: z.uuid(), readAt: z.string().nullable() })),
  unreadCount: z.number().int().min(0),
});

export interface NewTask {
  title: string;
  description: string;
  tags: string[];
  dueAt: string;
  remindAt: string;
  recurrence: string;
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join(".") || "(body)"}: ${i.message}`).join("; ");
}

function parseTask(value: unknown, what: string): Task {
  const result = TaskSchema.safeParse(value);
  if (!result.success) throw new SmokeFailure(`${what} is not a task: ${describeIssues(result.error)}`);
  return result.data;
}

export class SmokeApi {
  constructor(private readonly baseUrl: string) {}

  private async call(method: string, path: string, expected: number, init: { token?: string; body?: unknown } = {}): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      throw new SmokeFailure(`${method} ${path}: ${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ""}`);
    }
    const text = await res.text();
    if (res.status !== expected) {
      throw new SmokeFailure(`${method} ${path}: expected ${expected}, got ${res.status} ${text.slice(0, 300)}`);
    }
    if (expected === 204 || text === "") return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new SmokeFailure(`${method} ${path}: response is not JSON: ${text.slice(0, 200)}`);
    }
  }

  /** Status of GET /readyz, or the network error's message. */
  async readiness(): Promise<{ ok: boolean; detail: string }> {
    try {
      const res = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
      await res.body?.cancel();
      return { ok: res.status === 200, detail: `HTTP ${res.status}` };
    } catch (err) {
      const cause = (err as { cause?: Error }).cause;
      return { ok: false, detail: cause?.message ?? (err as Error).message };
    }
  }

  async signUp(email: string, password: string): Promise<Session> {
    const body = await this.call("POST", "/api/auth/signup", 201, { body: { email, password } });
    const result = Session.safeParse(body);
    if (!result.success) throw new SmokeFailure(`POST /api/auth/signup: unexpected body: ${describeIssues(result.error)}`);
    return result.data;
  }

  async createTask(token: string, task: NewTask): Promise<Task> {
    return parseTask(await this.call("POST", "/api/tasks", 201, { token, body: task }), "POST /api/tasks");
  }

  async completeTask(token: string, id: string): Promise<Task> {
    return parseTask(await this.call("POST", `/api/tasks/${id}/complete`, 200, { token }), `POST /api/tasks/${id}/complete`);
  }

  async pendingTasksMatching(token: string, q: string): Promise<Task[]> {
    const path = `/api/tasks?${new URLSearchParams({ q, status: "pending", limit: "100" })}`;
    const page = TaskPage.safeParse(await this.call("GET", path, 200, { token }));
    if (!page.success) throw new SmokeFailure(`GET /api/tasks: unexpected body: ${describeIssues(page.error)}`);
    return page.data.items.map((item, i) => parseTask(item, `GET /api/tasks items.${i}`));
  }

  async notifications(token: string): Promise<z.infer<typeof NotificationList>> {
    const list = NotificationList.safeParse(await this.call("GET", "/api/notifications", 200, { token }));
    if (!list.success) throw new SmokeFailure(`GET /api/notifications: unexpected body: ${describeIssues(list.error)}`);
    return list.data;
  }

  async deleteTask(token: string, id: string): Promise<void> {
    await this.call("DELETE", `/api/tasks/${id}`, 204, { token });
  }

  async expectTaskGone(token: string, id: string): Promise<void> {
    await this.call("GET", `/api/tasks/${id}`, 404, { token });
  }
}
