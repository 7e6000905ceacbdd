import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { WebSocketFrame } from "@todo/contracts/frames";
import { type Task } from "@todo/contracts/task";
import { startLocalRuntime, type LocalRuntime } from "../../runtime/src/local-runtime";
import { createTestDatabase, stopTestDatabases, type TestDatabase } from "../../testing/database";

/**
 * The "done means" for live updates and reminders, through the local runtime (real backend,
 * outbox, local sidecar with Jobs, reminder-scheduler, notification, websocket behind the gateway).
 */
type Frame = WebSocketFrame & { receivedAt: number };

async function signUp(base: string): Promise<{ token: string; userId: string }> {
  const res = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `${randomUUID()}@example.com`, password: "Correct-Horse-42" }),
  });
  assert.equal(res.status, 201);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id };
}

async function openSocket(base: string, token: string): Promise<{ ws: WebSocket; frames: Frame[] }> {
  const ws = new WebSocket(`${base.replace("http", "ws")}/ws`, ["bearer", token]);
  const frames: Frame[] = [];
  ws.on("message", (data) => frames.push({ ...WebSocketFrame.parse(JSON.parse(String(data))), receivedAt: Date.now() }));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, frames };
}

async function api(base: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const frameOf = (frames: Frame[], type: string, taskId: string) =>
  frames.filter((f) => f.type === type && ("task" in f.data ? f.data.task.id : (f.data as { taskId: string }).taskId) === taskId);

describe("live reminders end to end (local runtime)", function () {
  this.timeout(120_000);
  let runtime: LocalRuntime;
  let db: TestDatabase;
  let a: { token: string; userId: string };
  let b: { token: string; userId: string };
  let aSocket: { ws: WebSocket; frames: Frame[] };
  let bSocket: { ws: WebSocket; frames: Frame[] };

  before(async () => {
    db = await createTestDatabase();
    runtime = await startLocalRuntime({ port: 0, databaseUrl: db.url, output: "silent", logLevel: "warn", readyTimeoutMs: 90_000 });
    a = await signUp(runtime.url);
    b = await signUp(runtime.url);
    aSocket = await openSocket(runtime.url, a.token);
    bSocket = await openSocket(runtime.url, b.token);
  });

  after(async () => {
    aSocket?.ws.terminate();
    bSocket?.ws.terminate();
    await runtime?.stop();
    await db?.stop();
    await stopTestDatabases();
  });

  it("when A creates a task with a reminder 3 s ahead, then A gets task.created, then reminder.due within 2 s of remindAt, a notification is listed, and B gets nothing", async () => {
    const remindAt = new Date(Date.now() + 3000);
    const created = await api(runtime.url, a.token, "POST", "/api/tasks", { title: "Call the dentist", remindAt: remindAt.toISOString() });
    assert.equal(created.status, 201);
    const task = created.json as Task;

    await until("task.created frame", () => frameOf(aSocket.frames, "task.created", task.id).length === 1, 10_000);
    await until("reminder.due frame", () => frameOf(aSocket.frames, "reminder.due", task.id).length === 1, 15_000);
    const due = frameOf(aSocket.frames, "reminder.due", task.id)[0]!;
    const lateness = due.receivedAt - remindAt.getTime();
    assert.ok(lateness >= 0 && lateness <= 2000, `reminder.due arrived ${lateness} ms after remindAt`);

    await until("notification.sent frame", () => frameOf(aSocket.frames, "notification.sent", task.id).length === 1, 10_000);
    const list = await api(runtime.url, a.token, "GET", "/api/notifications");
    assert.equal(list.status, 200);
    assert.ok(JSON.stringify(list.json).includes(task.id), "the notification is listed");
    assert.equal(bSocket.frames.length, 0, "B received none of A's frames");
  });

  it("when a reminder is rescheduled, then only the new time fires; when a task is deleted, then its reminder never fires", async () => {
    const first = new Date(Date.now() + 2000);
    const moved = new Date(Date.now() + 4000);
    const rescheduled = (await api(runtime.url, a.token, "POST", "/api/tasks", { title: "Move me", remindAt: first.toISOString() })).json as Task;
    const deleted = (await api(runtime.url, a.token, "POST", "/api/tasks", { title: "Delete me", remindAt: first.toISOString() })).json as Task;
    assert.equal((await api(runtime.url, a.token, "PATCH", `/api/tasks/${rescheduled.id}`, { remindAt: moved.toISOString() })).status, 200);
    assert.equal((await api(runtime.url, a.token, "DELETE", `/api/tasks/${deleted.id}`)).status, 204);

    await until("the moved reminder", () => frameOf(aSocket.frames, "reminder.due", rescheduled.id).length >= 1, 15_000);
    const dues = frameOf(aSocket.frames, "reminder.due", rescheduled.id);
    assert.equal(dues.length, 1);
    assert.ok(dues[0]!.receivedAt >= moved.getTime(), "fired at the new time, not the old one");
    assert.equal((dues[0]!.data as { remindAt: string }).remindAt, moved.toISOString());
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(frameOf(aSocket.frames, "reminder.due", deleted.id).length, 0, "a deleted task's reminder never fires");
    assert.equal(frameOf(aSocket.frames, "reminder.due", rescheduled.id).length, 1);
  });
});
