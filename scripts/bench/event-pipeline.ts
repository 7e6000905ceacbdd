import { api, bounded, signUpBenchUser } from "./bench-api";
import { FrameRecorder } from "./frame-recorder";
import { summarise, type LatencySummary } from "./latency-stats";

export interface EventPipelineResult {
  /** POST /complete → `task.completed` frame on an open socket, one completion at a time. */
  completeToFrame: LatencySummary;
  /** POST /complete → `task.created` frame of the next occurrence (event-processor → backend → outbox → websocket). */
  completeToNextOccurrence: LatencySummary;
  /** Completions at concurrency 8: completions/s whose both frames arrived, and frames/s. */
  sustained: { completions: number; concurrency: number; completionsPerSec: number; framesPerSec: number; elapsedMs: number };
}

const FRAME_TIMEOUT_MS = 30_000;

async function recurringTasks(baseUrl: string, token: string, prefix: string, count: number): Promise<Array<{ id: string; title: string }>> {
  const dueAt = new Date(Date.now() + 86_400_000).toISOString();
  const tasks: Array<{ id: string; title: string }> = [];
  await bounded(count, 8, async (i) => {
    const title = `${prefix}-${i}`;
    const task = await api<{ id: string }>(baseUrl, "POST", "/api/tasks", 201, { token, body: { title, dueAt, recurrence: "FREQ=DAILY" } });
    tasks.push({ id: task.id, title });
  });
  return tasks;
}

/** Measures the event path the user sees: completing a recurring task until the frames arrive. */
export async function measureEventPipeline(baseUrl: string, opts: { sequential: number; sustained: number }): Promise<EventPipelineResult> {
  const token = await signUpBenchUser(baseUrl);
  const socket = await FrameRecorder.open(baseUrl, token);
  try {
    const isCompleted = (id: string) => (f: { type: string; data: { task?: { id: string } } }) => f.type === "task.completed" && f.data.task?.id === id;
    const isNext = (t: { id: string; title: string }) => (f: { type: string; data: { task?: { id: string; title: string } } }) =>
      f.type === "task.created" && f.data.task?.title === t.title && f.data.task.id !== t.id;

    const sequential = await recurringTasks(baseUrl, token, "pipe", opts.sequential);
    const toFrame: number[] = [];
    const toNext: number[] = [];
    for (const t of sequential) {
      const started = performance.now();
      await api(baseUrl, "POST", `/api/tasks/${t.id}/complete`, 200, { token });
      const [completed, next] = await Promise.all([socket.waitFor(isCompleted(t.id), FRAME_TIMEOUT_MS, "task.completed"), socket.waitFor(isNext(t), FRAME_TIMEOUT_MS, "next task.created")]);
      toFrame.push(completed.at - started);
      toNext.push(next.at - started);
    }

    const burst = await recurringTasks(baseUrl, token, "burst", opts.sustained);
    const framesBefore = socket.frames.length;
    const started = performance.now();
    await bounded(burst.length, 8, async (i) => {
      await api(baseUrl, "POST", `/api/tasks/${burst[i]!.id}/complete`, 200, { token });
    });
    await Promise.all(burst.flatMap((t) => [socket.waitFor(isCompleted(t.id), FRAME_TIMEOUT_MS, "task.completed"), socket.waitFor(isNext(t), FRAME_TIMEOUT_MS, "next task.created")]));
    const elapsedMs = performance.now() - started;
    return {
      completeToFrame: summarise(toFrame),
      completeToNextOccurrence: summarise(toNext),
      sustained: {
        completions: burst.length,
        concurrency: 8,
        completionsPerSec: Math.round((burst.length / elapsedMs) * 1000),
        framesPerSec: Math.round(((socket.frames.length - framesBefore) / elapsedMs) * 1000),
        elapsedMs: Math.round(elapsedMs),
      },
    };
  } finally {
    socket.close();
  }
}
