import assert from "node:assert/strict";
import { LiveUpdates, type ResyncReason } from "../web/src/live/live-updates";

/** A stand-in for the browser's WebSocket: records each one opened; the test drives its events. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.opened.push(this);
  }
  close() {}
  send(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const task = { id: "5f0c8f4e-6a39-4f59-9d0e-6f4b8a3c2d10", userId: "5f0c8f4e-6a39-4f59-9d0e-6f4b8a3c2d11", title: "t", version: 1 };
const frame = (id: string) => ({ type: "task.created", id, time: new Date().toISOString(), data: { task } });

describe("web: live updates client", () => {
  const saved = (globalThis as { WebSocket?: unknown }).WebSocket;
  let frames: string[];
  let resyncs: ResyncReason[];
  let live: LiveUpdates;

  beforeEach(() => {
    FakeSocket.opened = [];
    (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
    frames = [];
    resyncs = [];
    live = new LiveUpdates({
      url: "ws://host/ws",
      token: "a.b.c",
      onFrame: (f) => frames.push((f as { id: string }).id),
      onResync: (r) => resyncs.push(r),
      onStatus: () => undefined,
      onExpired: () => undefined,
    });
  });
  afterEach(() => {
    live.stop();
    (globalThis as { WebSocket?: unknown }).WebSocket = saved;
  });

  /** Drops the current socket and lets the backoff timer reconnect (it waits at most ~625 ms the first time). */
  async function reconnect(): Promise<FakeSocket> {
    const before = FakeSocket.opened.length;
    FakeSocket.opened.at(-1)!.onclose?.({ code: 1006 });
    while (FakeSocket.opened.length === before) await new Promise((r) => setTimeout(r, 20));
    return FakeSocket.opened.at(-1)!;
  }

  it("when it first connects, then the token travels as a subprotocol, the page refetches once, and frames pass through once each", () => {
    live.start();
    const s = FakeSocket.opened[0]!;
    assert.equal(s.url, "ws://host/ws");
    assert.deepEqual(s.protocols, ["bearer", "a.b.c"]);
    s.onopen?.();
    assert.deepEqual(resyncs, ["first-connect"]);
    s.send(frame("e1"));
    s.send(frame("e1"));
    s.send(frame("e2"));
    assert.deepEqual(frames, ["e1", "e2"]);
  });

  it("when it reconnects, then it resumes from the last frame's id, drops replayed repeats and does not refetch after replay.complete", async () => {
    live.start();
    const first = FakeSocket.opened[0]!;
    first.onopen?.();
    first.send(frame("e1"));
    first.send(frame("e2"));
    const again = await reconnect();
    assert.equal(again.url, "ws://host/ws?lastEventId=e2");
    again.onopen?.();
    again.send(frame("e1")); // within the server's reorder margin: already seen
    again.send(frame("e3"));
    again.send({ type: "replay.complete", time: new Date().toISOString(), data: { lastEventId: "e2", replayed: 2 } });
    assert.deepEqual(frames, ["e1", "e2", "e3"]);
    assert.deepEqual(resyncs, ["first-connect"]);
    const third = await reconnect();
    assert.equal(third.url, "ws://host/ws?lastEventId=e3", "a control frame never becomes the id to resume from");
  });

  it("when the server answers replay.too_old, then the page refetches", async () => {
    live.start();
    FakeSocket.opened[0]!.onopen?.();
    FakeSocket.opened[0]!.send(frame("e1"));
    const again = await reconnect();
    again.onopen?.();
    again.send({ type: "replay.too_old", time: new Date().toISOString(), data: { lastEventId: "e1" } });
    assert.deepEqual(resyncs, ["first-connect", "too-old"]);
  });

  it("when it reconnects before any frame arrived, then it starts fresh and refetches", async () => {
    live.start();
    FakeSocket.opened[0]!.onopen?.();
    const again = await reconnect();
    assert.equal(again.url, "ws://host/ws");
    again.onopen?.();
    assert.deepEqual(resyncs, ["first-connect", "first-connect"]);
  });
});
