/**
 * The post-deploy check: one user journey through the public endpoint, the same against `npm start`
 * and a deployed stack. Sign up a fresh user, watch their live feed, create a daily task due now with
 * a reminder a few seconds ahead, see it created live, receive the reminder live and find its
 * notification, complete the task, see that live, see the next occurrence (due one day later)
 * appear through the API, then delete both. Every service takes part, so every service's metrics move. Each step is timed; the first failure stops the journey.
 */
import { randomBytes } from "node:crypto";
import type { Task } from "@todo/contracts/task";
import type { WebSocketFrame } from "@todo/contracts/frames";
import { SmokeApi, SmokeFailure, type Session } from "./smoke-api";
import { FrameInbox, webSocketUrl } from "./frame-inbox";
import type { SmokeOptions } from "./smoke-options";

export const JOURNEY_STEPS = [
  "ready",
  "sign up",
  "open live feed",
  "create daily task",
  "receive task.created",
  "receive reminder.due",
  "notification listed",
  "complete task",
  "receive task.completed",
  "next occurrence appears",
  "delete both tasks",
] as const;
export type JourneyStep = (typeof JOURNEY_STEPS)[number];

export interface JourneyReporter {
  passed(step: JourneyStep, ms: number, detail: string): void;
  failed(step: JourneyStep, ms: number, message: string): void;
}

export interface JourneyResult {
  ok: boolean;
  failedStep?: JourneyStep;
  message?: string;
  totalMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** RRULE engines work in whole seconds; anything within a minute of "one day later" is that day. */
const NEXT_DUE_TOLERANCE_MS = 60_000;
/** The reminder fires this long after the task is created: long enough to be in the future on arrival. */
const REMINDER_DELAY_MS = 3_000;

type TaskFrame = WebSocketFrame & { data: { task: Task } };
const taskFrame =
  (type: "task.created" | "task.completed", taskId: string) =>
  (f: WebSocketFrame): f is TaskFrame =>
    f.type === type && "task" in f.data && f.data.task.id === taskId;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSmokeJourney(options: SmokeOptions, reporter: JourneyReporter): Promise<JourneyResult> {
  const started = Date.now();
  const api = new SmokeApi(options.baseUrl);
  const runId = `${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;
  let session: Session | undefined;
  let inbox: FrameInbox | undefined;
  const leftovers = new Set<string>();

  async function step<T>(name: JourneyStep, body: () => Promise<[T, string]>): Promise<T> {
    const t0 = Date.now();
    try {
      const [value, detail] = await body();
      reporter.passed(name, Date.now() - t0, detail);
      return value;
    } catch (err) {
      const message = err instanceof SmokeFailure ? err.message : `unexpected error: ${(err as Error).stack ?? String(err)}`;
      reporter.failed(name, Date.now() - t0, message);
      throw new JourneyStopped(name, message);
    }
  }

  try {
    await step("ready", async () => {
      const deadline = Date.now() + options.readyTimeoutMs;
      let last = await api.readiness();
      while (!last.ok && Date.now() < deadline) {
        await sleep(1000);
        last = await api.readiness();
      }
      if (!last.ok) throw new SmokeFailure(`/readyz did not answer 200 within ${options.readyTimeoutMs / 1000} s (last: ${last.detail})`);
      return [undefined, "/readyz 200"];
    });

    session = await step("sign up", async () => {
      const email = `smoke+${runId}@example.com`;
      const s = await api.signUp(email, `Smoke-${randomBytes(12).toString("base64url")}-9`);
      if (s.user.email !== email) throw new SmokeFailure(`signed up as ${email} but the API says ${s.user.email}`);
      return [s, s.user.email];
    });
    const token = session.token;

    inbox = await step("open live feed", async () => {
      const opened = await FrameInbox.open(webSocketUrl(options.baseUrl, token), options.stepTimeoutMs);
      return [opened, "/ws upgraded"];
    });
    const live = inbox;

    const title = `smoke ${runId}`;
    const dueAt = new Date().toISOString();
    const remindAt = new Date(Date.now() + REMINDER_DELAY_MS).toISOString();
    const task = await step("create daily task", async () => {
      const t = await api.createTask(token, { title, description: "created by npm run smoke", tags: ["smoke"], dueAt, remindAt, recurrence: "FREQ=DAILY" });
      leftovers.add(t.id);
      if (t.status !== "pending") throw new SmokeFailure(`a new task is ${t.status}, expected pending`);
      if (t.userId !== session!.user.id) throw new SmokeFailure(`the new task belongs to ${t.userId}, not to the smoke user`);
      if (!t.recurrence?.includes("FREQ=DAILY")) throw new SmokeFailure(`recurrence came back as ${t.recurrence}`);
      if (t.dueAt === null || Math.abs(Date.parse(t.dueAt) - Date.parse(dueAt)) > 1000) throw new SmokeFailure(`dueAt came back as ${t.dueAt}, sent ${dueAt}`);
      return [t, t.id];
    });

    await step("receive task.created", async () => {
      const frame = await live.waitFor("task.created", taskFrame("task.created", task.id), options.stepTimeoutMs);
      return [frame, `frame ${frame.id}`];
    });

    await step("receive reminder.due", async () => {
      const due = (f: WebSocketFrame): f is Extract<WebSocketFrame, { type: "reminder.due" }> => f.type === "reminder.due" && "taskId" in f.data && f.data.taskId === task.id;
      const frame = await live.waitFor("reminder.due", due, REMINDER_DELAY_MS + options.stepTimeoutMs);
      const lateMs = Date.parse(frame.data.firedAt) - Date.parse(remindAt);
      if (lateMs < 0) throw new SmokeFailure(`the reminder fired ${-lateMs} ms before its time`);
      return [frame, `fired ${lateMs} ms after remindAt`];
    });

    await step("notification listed", async () => {
      const deadline = Date.now() + options.stepTimeoutMs;
      for (;;) {
        const list = await api.notifications(token);
        if (list.items.some((n) => n.taskId === task.id) && list.unreadCount >= 1) return [undefined, `${list.unreadCount} unread`];
        if (Date.now() >= deadline) throw new SmokeFailure(`no notification for task ${task.id} within ${options.stepTimeoutMs} ms of its reminder (unread: ${list.unreadCount})`);
        await sleep(250);
      }
    });

    const completed = await step("complete task", async () => {
      const t = await api.completeTask(token, task.id);
      if (t.status !== "completed" || t.completedAt === null) throw new SmokeFailure(`after complete the task is ${t.status} (completedAt ${t.completedAt})`);
      return [t, `completed at ${t.completedAt}`];
    });

    await step("receive task.completed", async () => {
      const frame = await live.waitFor("task.completed", taskFrame("task.completed", task.id), options.stepTimeoutMs);
      return [frame, `frame ${frame.id}`];
    });

    const next = await step("next occurrence appears", async () => {
      const expectedDue = Date.parse(task.dueAt!) + DAY_MS;
      const deadline = Date.now() + options.stepTimeoutMs;
      let candidates: Task[];
      for (;;) {
        candidates = (await api.pendingTasksMatching(token, runId)).filter((t) => t.id !== task.id && t.title === title);
        for (const c of candidates) leftovers.add(c.id);
        if (candidates.length > 0 || Date.now() >= deadline) break;
        await sleep(250);
      }
      if (candidates.length === 0) throw new SmokeFailure(`no pending next occurrence of "${title}" within ${options.stepTimeoutMs} ms of completing it`);
      if (candidates.length > 1) throw new SmokeFailure(`${candidates.length} next occurrences were created, expected exactly one`);
      const [n] = candidates;
      if (n.dueAt === null || Math.abs(Date.parse(n.dueAt) - expectedDue) > NEXT_DUE_TOLERANCE_MS) {
        throw new SmokeFailure(`the next occurrence is due ${n.dueAt}, expected one day after ${task.dueAt} (${new Date(expectedDue).toISOString()})`);
      }
      if (n.recurrence !== completed.recurrence) throw new SmokeFailure(`the next occurrence's recurrence is ${n.recurrence}, expected ${completed.recurrence}`);
      return [n, `${n.id} due ${n.dueAt}`];
    });

    await step("delete both tasks", async () => {
      for (const id of [task.id, next.id]) {
        await api.deleteTask(token, id);
        leftovers.delete(id);
        await api.expectTaskGone(token, id);
      }
      return [undefined, "both 404 afterwards"];
    });
    return { ok: true, totalMs: Date.now() - started };
  } catch (err) {
    if (!(err instanceof JourneyStopped)) throw err;
    return { ok: false, failedStep: err.step, message: err.message, totalMs: Date.now() - started };
  } finally {
    inbox?.close();
    // A failed journey should not leave its tasks behind on a real deployment.
    if (session) for (const id of leftovers) await api.deleteTask(session.token, id).catch(() => undefined);
  }
}

class JourneyStopped extends Error {
  constructor(
    readonly step: JourneyStep,
    message: string,
  ) {
    super(message);
  }
}
