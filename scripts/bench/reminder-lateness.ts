import { api, bounded, signUpBenchUser } from "./bench-api";
import { FrameRecorder } from "./frame-recorder";
import { summarise, type LatencySummary } from "./latency-stats";

export interface ReminderLatenessResult {
  reminders: number;
  /** How far ahead of the start the first reminder was set (all are created before it is due). */
  leadMs: number;
  /** Reminders fall due at this steady rate (remindAt spaced 1000/rate ms apart). */
  duePerSec: number;
  /** firedAt (stamped by the reminder-scheduler when its job callback publishes) − remindAt. */
  fireLateness: LatencySummary;
  /** Arrival of the `reminder.due` frame at the browser's socket − remindAt. */
  frameLateness: LatencySummary;
}

/**
 * Creates `count` reminders a few seconds ahead, falling due at a steady `duePerSec`, and measures how
 * late each fires.
 */
export async function measureReminderLateness(baseUrl: string, opts: { count: number; leadMs: number; duePerSec: number }): Promise<ReminderLatenessResult> {
  const token = await signUpBenchUser(baseUrl);
  const socket = await FrameRecorder.open(baseUrl, token);
  try {
    const remindAtOf = new Map<string, number>();
    const first = Date.now() + opts.leadMs;
    const latest = first + ((opts.count - 1) * 1000) / opts.duePerSec;
    await bounded(opts.count, 8, async (i) => {
      const remindAt = Math.round(first + (i * 1000) / opts.duePerSec);
      const task = await api<{ id: string }>(baseUrl, "POST", "/api/tasks", 201, {
        token,
        body: { title: `reminder ${i}`, remindAt: new Date(remindAt).toISOString(), dueAt: new Date(remindAt + 3600_000).toISOString() },
      });
      remindAtOf.set(task.id, remindAt);
    });
    if (Date.now() > first) throw new Error(`creating the reminders took longer than their ${opts.leadMs} ms lead`);
    const timeoutMs = latest - Date.now() + 30_000;
    const frames = await Promise.all(
      [...remindAtOf.keys()].map((id) => socket.waitFor((f) => f.type === "reminder.due" && f.data.taskId === id, timeoutMs, `reminder.due of ${id}`)),
    );
    // Frame arrival is a performance.now() stamp; convert it to wall time to compare with remindAt.
    const wallOffset = Date.now() - performance.now();
    return {
      reminders: opts.count,
      leadMs: opts.leadMs,
      duePerSec: opts.duePerSec,
      fireLateness: summarise(frames.map((f) => Date.parse(String(f.data.firedAt)) - Date.parse(String(f.data.remindAt)))),
      frameLateness: summarise(frames.map((f) => f.at + wallOffset - remindAtOf.get(String(f.data.taskId))!)),
    };
  } finally {
    socket.close();
  }
}
