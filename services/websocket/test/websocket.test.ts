import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import type { Socket } from "node:net";
import WebSocket from "ws";
import { JWT_SECRET_NAME, TokenService } from "../../shared/src/auth/tokens";
import { makeEvent } from "@todo/contracts/envelope";
import { ServerFrame, WebSocketFrame } from "@todo/contracts/frames";
import { type Task } from "@todo/contracts/task";
import type { RunningService } from "../../shared/src/http/run-service";
import { registry } from "../../shared/src/telemetry/registry";
import { configSchema } from "../src/config";
import { start } from "../src/websocket-service";
import { CLOSE_ACCOUNT_DELETED } from "@todo/contracts/close-codes";
import { startRecordingSidecar, type RecordingSidecar } from "../../testing/recording-sidecar";

const SECRET = "a-test-secret-that-is-long-enough-for-hs256";
const tokens = new TokenService(SECRET);
const alice = randomUUID();
const bob = randomUUID();

function task(userId: string, description = ""): Task {
  const now = new Date().toISOString();
  return { id: randomUUID(), userId, title: "t", description, status: "pending", priority: "low", tags: [], dueAt: null, remindAt: null, recurrence: null, createdAt: now, updatedAt: now, completedAt: null, version: 1 };
}
const taskCreated = (userId: string, description = "") => {
  const t = task(userId, description);
  return makeEvent({ type: "task.created", source: "backend", subject: t.id, userId, correlationId: "c", data: { task: t } });
};

/** A client that records every frame it receives. */
class Client {
  readonly frames: Array<{ type: string; id?: string }> = [];
  closeCode?: number;
  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => this.frames.push(JSON.parse(String(data))));
    ws.on("close", (code) => (this.closeCode = code));
  }
}

async function connect(base: string, userId: string, via: "query" | "subprotocol" = "query", opts: WebSocket.ClientOptions = {}, lastEventId?: string): Promise<Client> {
  const token = await tokens.sign({ id: userId, email: `${userId}@example.com` });
  const url = base.replace("http", "ws") + "/ws";
  const replay = lastEventId ? `lastEventId=${encodeURIComponent(lastEventId)}` : "";
  const ws =
    via === "query" ? new WebSocket(`${url}?token=${token}${replay ? `&${replay}` : ""}`, opts) : new WebSocket(`${url}${replay ? `?${replay}` : ""}`, ["bearer", token], opts);
  const client = new Client(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return client;
}

/** Tries an upgrade that must be refused; returns the HTTP status and JSON body. */
async function refusedUpgrade(base: string, path: string, protocols?: string[]): Promise<{ status: number; body: { error: { code: string } } }> {
  const ws = new WebSocket(base.replace("http", "ws") + path, protocols);
  return new Promise((resolve, reject) => {
    ws.once("open", () => reject(new Error("upgrade was accepted")));
    ws.once("error", () => undefined);
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += String(c)));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
  });
}

async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function droppedCount(reason: string): Promise<number> {
  const metric = await registry.getSingleMetric("todo_websocket_clients_dropped_total")!.get();
  return metric.values.filter((v) => v.labels.reason === reason).reduce((n, v) => n + v.value, 0);
}

/** Reads raw server frames (unmasked, RFC 6455 §5.2): how many text frames, and the close code. */
function parseServerFrames(bytes: Buffer): { texts: number; closeCode?: number } {
  let texts = 0;
  let i = 0;
  while (i + 2 <= bytes.length) {
    const opcode = bytes[i]! & 0x0f;
    let len = bytes[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      len = bytes.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      len = Number(bytes.readBigUInt64BE(at));
      at += 8;
    }
    if (opcode === 0x8) return { texts, closeCode: bytes.readUInt16BE(at) };
    if (opcode === 0x1) texts++;
    i = at + len;
  }
  return { texts };
}

describe("websocket service", () => {
  let sidecar: RecordingSidecar;
  let service: RunningService;
  const clients: Client[] = [];

  async function startService(env: Record<string, string>): Promise<RunningService> {
    return start(configSchema.parse({ PORT: "0", HOST: "127.0.0.1", DAPR_HTTP_PORT: String(sidecar.port), LOG_LEVEL: "silent", SHUTDOWN_TIMEOUT_S: "2", ...env }));
  }
  async function publish(svc: RunningService, route: string, event: unknown): Promise<string> {
    const res = await fetch(`${svc.url}${route}`, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: JSON.stringify(event) });
    assert.equal(res.status, 200);
    return ((await res.json()) as { status: string }).status;
  }
  const track = (c: Client) => (clients.push(c), c);

  before(async () => {
    sidecar = await startRecordingSidecar({ secrets: { [JWT_SECRET_NAME]: SECRET } });
    // Heartbeats far apart here: the slow-client test pauses a socket, which must not look dead.
    // No reorder margin here, so a replay is exactly the frames after the id (the margin has its own test).
    service = await startService({ HEARTBEAT_INTERVAL_MS: "600000", MAX_BUFFERED_BYTES: "65536", REPLAY_REORDER_MARGIN_MS: "0" });
  });

  after(async () => {
    for (const c of clients) c.ws.terminate();
    await service?.stop();
    await sidecar?.stop();
  });

  it("when the sidecar answers, then /readyz is ready with the sidecar as its only check", async () => {
    const res = await fetch(`${service.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { checks: unknown }).checks, { sidecar: "ok" });
  });

  it("when a valid token comes in the query or as `bearer, <jwt>` subprotocols, then the upgrade succeeds (subprotocol answered `bearer`)", async () => {
    const byQuery = track(await connect(service.url, alice, "query"));
    const byProtocol = track(await connect(service.url, alice, "subprotocol"));
    assert.equal(byQuery.ws.readyState, WebSocket.OPEN);
    assert.equal(byProtocol.ws.protocol, "bearer");
  });

  it("when the token is missing, forged or expired, then the upgrade is refused with a 401 JSON error", async () => {
    const forged = await new TokenService("another-secret-that-is-long-enough-too!!").sign({ id: alice, email: "a@example.com" });
    const expired = await new TokenService(SECRET, -10).sign({ id: alice, email: "a@example.com" });
    for (const attempt of [refusedUpgrade(service.url, "/ws"), refusedUpgrade(service.url, `/ws?token=${forged}`), refusedUpgrade(service.url, "/ws", ["bearer", expired])]) {
      const { status, body } = await attempt;
      assert.equal(status, 401);
      assert.equal(body.error.code, "unauthorized");
    }
    const { status } = await refusedUpgrade(service.url, "/elsewhere");
    assert.equal(status, 404);
  });

  it("when a user's account is deleted, then their open sockets close with 4001, a reconnect with their still-valid token is closed too, their kept frames are gone, and other users stay connected (issue 12)", async () => {
    const erased = randomUUID();
    const sockets = [track(await connect(service.url, erased)), track(await connect(service.url, erased, "subprotocol"))];
    const other = track(await connect(service.url, bob));
    const before = taskCreated(erased);
    assert.equal(await publish(service, "/events/task-events", before), "SUCCESS");
    await until("the frame before the deletion", () => sockets.every((c) => c.frames.length === 1));
    const deleted = makeEvent({ type: "account.deleted", source: "backend", subject: erased, userId: erased, correlationId: "c", data: { userId: erased, deletedAt: new Date().toISOString() } });
    assert.equal(await publish(service, "/events/accounts", deleted), "SUCCESS");
    await until("both sockets closed", () => sockets.every((c) => c.closeCode !== undefined));
    assert.deepEqual(sockets.map((c) => c.closeCode), [CLOSE_ACCOUNT_DELETED, CLOSE_ACCOUNT_DELETED]);
    // the page reconnects with the token it still holds (valid for hours): closed again, and no replay of the kept frame
    const again = track(await connect(service.url, erased, "query", {}, before.id));
    await until("the reconnect closed", () => again.closeCode !== undefined);
    assert.equal(again.closeCode, CLOSE_ACCOUNT_DELETED);
    assert.deepEqual(again.frames, [], "nothing of the deleted account is replayed");
    assert.equal(other.ws.readyState, WebSocket.OPEN, "another user's socket stays open");
    assert.equal(await publish(service, "/events/accounts", deleted), "SUCCESS", "a redelivery is acknowledged");
  });

  it("when user A's event arrives, then both of A's sockets get the frame and B's socket none", async () => {
    const a1 = track(await connect(service.url, alice));
    const a2 = track(await connect(service.url, alice, "subprotocol"));
    const b = track(await connect(service.url, bob));
    const event = taskCreated(alice);
    assert.equal(await publish(service, "/events/task-events", event), "SUCCESS");
    await until("both of A's sockets", () => a1.frames.length === 1 && a2.frames.length === 1);
    for (const c of [a1, a2]) {
      const frame = WebSocketFrame.parse(c.frames[0]);
      assert.deepEqual(frame, { type: "task.created", id: event.id, time: event.time, data: { task: event.data.task } });
    }
    // B's first frame is B's own event: A's never reached it.
    const own = taskCreated(bob);
    await publish(service, "/events/task-events", own);
    await until("B's own frame", () => b.frames.length >= 1);
    assert.deepEqual(b.frames.map((f) => f.id), [own.id]);
  });

  it("when the same event is delivered twice, then the socket gets one frame", async () => {
    const a = track(await connect(service.url, alice));
    const event = taskCreated(alice);
    assert.equal(await publish(service, "/events/task-events", event), "SUCCESS");
    assert.equal(await publish(service, "/events/task-events", event), "SUCCESS");
    const marker = taskCreated(alice);
    await publish(service, "/events/task-events", marker);
    await until("the marker frame", () => a.frames.some((f) => f.id === marker.id));
    assert.deepEqual(a.frames.map((f) => f.id), [event.id, marker.id]);
  });

  it("when reminder and notification events arrive, then reminder.due and notification.sent are framed and reminder.scheduled is not", async () => {
    const a = track(await connect(service.url, alice));
    const taskId = randomUUID();
    const at = new Date().toISOString();
    const scheduled = makeEvent({ type: "reminder.scheduled", source: "backend", subject: taskId, userId: alice, correlationId: "c", data: { taskId, remindAt: at, title: "x" } });
    const due = makeEvent({ type: "reminder.due", source: "reminder-scheduler", subject: taskId, userId: alice, correlationId: "c", data: { taskId, remindAt: at, title: "x", firedAt: at } });
    const sent = makeEvent({
      type: "notification.sent",
      source: "notification",
      subject: taskId,
      userId: alice,
      correlationId: "c",
      data: { notificationId: randomUUID(), taskId, channel: "in-app", title: "x", message: "Reminder: x", createdAt: at },
    });
    assert.equal(await publish(service, "/events/reminders", scheduled), "SUCCESS");
    assert.equal(await publish(service, "/events/reminders", due), "SUCCESS");
    assert.equal(await publish(service, "/events/notifications", sent), "SUCCESS");
    await until("two frames", () => a.frames.length === 2);
    assert.deepEqual(a.frames.map((f) => f.type), ["reminder.due", "notification.sent"]);
    for (const f of a.frames) assert.equal(WebSocketFrame.safeParse(f).success, true);
  });

  it("when an event is invalid or on the wrong topic, then it is dropped", async () => {
    assert.equal(await publish(service, "/events/task-events", { type: "task.created", id: "x" }), "DROP");
    assert.equal(await publish(service, "/events/notifications", taskCreated(alice)), "DROP");
  });

  it("when a client stops reading, then it is closed with 1013 once its buffer passes the bound, and others keep their frames", async () => {
    const user = randomUUID();
    const token = await tokens.sign({ id: user, email: "slow@example.com" });
    // A raw upgrade whose socket is paused: the kernel buffers fill, then the server's buffer grows.
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request(`${service.url}/ws?token=${token}`, {
        headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": Buffer.from(randomUUID().slice(0, 16)).toString("base64") },
      });
      req.on("upgrade", (_res, s: Socket) => resolve(s));
      req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on("error", reject);
      req.end();
    });
    socket.pause();
    const healthy = track(await connect(service.url, user));
    const before = await droppedCount("slow");
    const big = "x".repeat(32 * 1024);
    let sent = 0;
    while ((await droppedCount("slow")) === before) {
      assert.ok(sent < 2000, "the slow client was never dropped");
      await publish(service, "/events/task-events", taskCreated(user, big));
      sent++;
    }
    // The healthy socket of the same user got every frame.
    await until("healthy client caught up", () => healthy.frames.length === sent);

    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.resume();
    await ended;
    const received = parseServerFrames(Buffer.concat(chunks));
    assert.equal(received.closeCode, 1013);
    assert.ok(received.texts < sent, `the slow client got ${received.texts} of ${sent} frames, not all`);
  });

  it("when the token expires while connected, then the socket is closed with 4001 and counted", async () => {
    const before = await droppedCount("expired");
    const shortLived = await new TokenService(SECRET, 2).sign({ id: alice, email: "a@example.com" });
    const ws = new WebSocket(`${service.url.replace("http", "ws")}/ws?token=${shortLived}`);
    const client = track(new Client(ws));
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    await until("the socket is closed at expiry", () => client.closeCode !== undefined, 6000);
    assert.equal(client.closeCode, 4001);
    assert.equal(await droppedCount("expired"), before + 1);
  });

  describe("catch-up after a reconnect (?lastEventId=)", () => {
    const close = async (c: Client) => {
      c.ws.close();
      await until("closed", () => c.closeCode !== undefined);
    };

    it("when a user reconnects with the id of the last frame seen, then the missed frames come, then replay.complete, and live frames after", async () => {
      const user = randomUUID();
      const other = randomUUID();
      const first = track(await connect(service.url, user));
      const seen = taskCreated(user);
      await publish(service, "/events/task-events", seen);
      await until("the first frame", () => first.frames.length === 1);
      await close(first);
      const missed = [taskCreated(user), taskCreated(other), taskCreated(user)];
      for (const e of missed) await publish(service, "/events/task-events", e);

      const again = track(await connect(service.url, user, "subprotocol", {}, seen.id));
      await until("replay.complete", () => again.frames.some((f) => f.type === "replay.complete"));
      assert.deepEqual(
        again.frames.map((f) => f.id ?? f.type),
        [missed[0]!.id, missed[2]!.id, "replay.complete"],
      );
      assert.equal(ServerFrame.safeParse(again.frames.at(-1)).success, true);
      assert.deepEqual((again.frames.at(-1) as unknown as { data: unknown }).data, { lastEventId: seen.id, replayed: 2 });
      const live = taskCreated(user);
      await publish(service, "/events/task-events", live);
      await until("the live frame", () => again.frames.length === 4);
      assert.equal(again.frames[3]!.id, live.id);
    });

    it("when the id is unknown here or another user's, then the socket gets replay.too_old and none of the other user's frames", async () => {
      const user = randomUUID();
      const other = randomUUID();
      const theirs = taskCreated(other);
      await publish(service, "/events/task-events", theirs);
      await publish(service, "/events/task-events", taskCreated(other));
      for (const id of [theirs.id, randomUUID()]) {
        const c = track(await connect(service.url, user, "query", {}, id));
        await until("an answer", () => c.frames.length > 0);
        assert.deepEqual(c.frames.map((f) => f.type), ["replay.too_old"]);
        assert.equal(ServerFrame.safeParse(c.frames[0]).success, true);
        await close(c);
      }
    });

    it("when lastEventId is malformed, then the upgrade is refused with a 400 naming the field", async () => {
      const token = await tokens.sign({ id: alice, email: "a@example.com" });
      const { status, body } = await refusedUpgrade(service.url, `/ws?token=${token}&lastEventId=${"%20".repeat(3)}`);
      assert.equal(status, 400);
      assert.equal(body.error.code, "bad_request");
      assert.equal((body.error as unknown as { details: Array<{ field: string }> }).details[0]!.field, "lastEventId");
    });

    it("when a user's frames passed the per-user window, then asking from the oldest is too_old", async () => {
      const small = await startService({ HEARTBEAT_INTERVAL_MS: "600000", REPLAY_PER_USER: "2" });
      try {
        const user = randomUUID();
        const events = [taskCreated(user), taskCreated(user), taskCreated(user)];
        for (const e of events) await publish(small, "/events/task-events", e);
        const c = track(await connect(small.url, user, "query", {}, events[0]!.id));
        await until("an answer", () => c.frames.length > 0);
        assert.deepEqual(c.frames.map((f) => f.type), ["replay.too_old"]);
        const d = track(await connect(small.url, user, "query", {}, events[1]!.id));
        await until("replay.complete", () => d.frames.some((f) => f.type === "replay.complete"));
        assert.deepEqual(d.frames.map((f) => f.id ?? f.type), [events[2]!.id, "replay.complete"]);
      } finally {
        await small.stop();
      }
    });

    it("when the socket moves to another replica that got the events in another order, then the frame the first had not delivered yet is replayed", async () => {
      // Both replicas see every event (per-pod consumer groups); pub/sub does not order them.
      const [r1, r2] = [await startService({ HEARTBEAT_INTERVAL_MS: "600000" }), await startService({ HEARTBEAT_INTERVAL_MS: "600000" })];
      try {
        const user = randomUUID();
        const [e1, e2, e3] = [taskCreated(user), taskCreated(user), taskCreated(user)];
        const on1 = track(await connect(r1.url, user));
        await publish(r1, "/events/task-events", e1);
        await publish(r1, "/events/task-events", e3); // e2 is still on its way to replica 1
        for (const e of [e1, e2, e3]) await publish(r2, "/events/task-events", e);
        await until("two frames on replica 1", () => on1.frames.length === 2);
        await close(on1);
        const on2 = track(await connect(r2.url, user, "query", {}, on1.frames.at(-1)!.id));
        await until("replay.complete", () => on2.frames.some((f) => f.type === "replay.complete"));
        const replayed = on2.frames.filter((f) => f.id).map((f) => f.id);
        assert.ok(replayed.includes(e2.id), "the frame replica 1 never delivered is replayed");
        assert.ok(!replayed.includes(e3.id), "the last seen frame itself is not");
      } finally {
        await r1.stop();
        await r2.stop();
      }
    });
  });

  describe("with a short heartbeat", () => {
    let fast: RunningService;
    before(async () => {
      fast = await startService({ HEARTBEAT_INTERVAL_MS: "100" });
    });
    after(async () => {
      await fast?.stop();
    });

    it("when a peer never answers pings, then it is terminated; a peer that answers stays", async () => {
      const dead = track(await connect(fast.url, alice, "query", { autoPong: false }));
      const alive = track(await connect(fast.url, alice));
      await until("dead peer terminated", () => dead.closeCode !== undefined, 3000);
      assert.equal(dead.closeCode, 1006); // terminated: no close frame
      assert.equal(alive.ws.readyState, WebSocket.OPEN);
      const event = taskCreated(alice);
      await publish(fast, "/events/task-events", event);
      await until("frame to the live peer", () => alive.frames.length === 1);
    });

    it("when the service stops, then open sockets are closed with 1001", async () => {
      const c = track(await connect(fast.url, bob));
      await fast.stop();
      await until("closed", () => c.closeCode !== undefined);
      assert.equal(c.closeCode, 1001);
    });
  });
});
