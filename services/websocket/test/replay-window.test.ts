import assert from "node:assert/strict";
import { ReplayWindow, type ReplayWindowLimits } from "../src/domain/replay-window";
import { replayRequestOf } from "../src/domain/replay-request";

const limits: ReplayWindowLimits = { perUser: 5, maxAgeMs: 60_000, maxFrames: 100, maxBytes: 1_000_000, reorderMarginMs: 0 };

function windowWithClock(overrides: Partial<ReplayWindowLimits> = {}) {
  const clock = { t: 1_000_000 };
  return { clock, w: new ReplayWindow({ ...limits, ...overrides }, () => clock.t) };
}
const framesOf = (answer: ReturnType<ReplayWindow["since"]>) => (answer.kind === "frames" ? answer.payloads : answer.kind);

describe("websocket domain: replay window", () => {
  it("when a user reconnects with the id of a frame in the window, then exactly the later frames of that user come back, in order", () => {
    const { w } = windowWithClock();
    w.record("alice", "a1", "A1");
    w.record("bob", "b1", "B1");
    w.record("alice", "a2", "A2");
    w.record("alice", "a3", "A3");
    assert.deepEqual(framesOf(w.since("alice", "a1")), ["A2", "A3"]);
    assert.deepEqual(framesOf(w.since("alice", "a3")), []);
    assert.deepEqual(framesOf(w.since("bob", "b1")), []);
  });

  it("when the id is unknown or belongs to another user, then the answer is too_old and nothing of the other user leaks", () => {
    const { w } = windowWithClock();
    w.record("alice", "a1", "A1");
    w.record("bob", "b1", "B1");
    w.record("bob", "b2", "B2");
    assert.equal(w.since("alice", "b1").kind, "too_old");
    assert.equal(w.since("alice", "nope").kind, "too_old");
    assert.equal(w.since("carol", "a1").kind, "too_old");
  });

  it("when a user passes the per-user count, then their oldest frame is forgotten and asking from it is too_old", () => {
    const { w } = windowWithClock({ perUser: 3 });
    for (let i = 1; i <= 4; i++) w.record("alice", `a${i}`, `A${i}`);
    w.record("bob", "b1", "B1");
    assert.equal(w.since("alice", "a1").kind, "too_old");
    assert.deepEqual(framesOf(w.since("alice", "a2")), ["A3", "A4"]);
    assert.deepEqual(framesOf(w.since("bob", "b1")), [], "another user's frames are not evicted by alice's");
  });

  it("when frames grow older than the age bound, then they are forgotten", () => {
    const { w, clock } = windowWithClock({ maxAgeMs: 1000 });
    w.record("alice", "a1", "A1");
    clock.t += 600;
    w.record("alice", "a2", "A2");
    clock.t += 600;
    assert.equal(w.since("alice", "a1").kind, "too_old");
    assert.deepEqual(framesOf(w.since("alice", "a2")), []);
    clock.t += 600;
    assert.equal(w.since("alice", "a2").kind, "too_old");
    assert.deepEqual(w.size, { frames: 0, bytes: 0, users: 0 });
  });

  it("when the overall frame or byte bound is passed, then the oldest frames of anyone go first and memory stays within it", () => {
    const { w } = windowWithClock({ maxFrames: 3, perUser: 100 });
    w.record("alice", "a1", "A1");
    w.record("bob", "b1", "B1");
    w.record("alice", "a2", "A2");
    w.record("bob", "b2", "B2");
    assert.equal(w.since("alice", "a1").kind, "too_old");
    assert.deepEqual(framesOf(w.since("bob", "b1")), ["B2"]);
    assert.equal(w.size.frames, 3);

    const bytes = windowWithClock({ maxBytes: 10, perUser: 100 }).w;
    bytes.record("alice", "x1", "12345");
    bytes.record("alice", "x2", "12345");
    bytes.record("alice", "x3", "12345");
    assert.equal(bytes.since("alice", "x1").kind, "too_old");
    assert.deepEqual(framesOf(bytes.since("alice", "x2")), ["12345"]);
    assert.ok(bytes.size.bytes <= 10);
    bytes.record("alice", "huge", "x".repeat(11));
    assert.equal(bytes.since("alice", "huge").kind, "too_old", "a frame larger than the whole budget is never kept");
  });

  it("when one user floods the window, then per-user evictions leave bounded tombstones", () => {
    const { w } = windowWithClock({ perUser: 2, maxFrames: 50 });
    for (let i = 0; i < 10_000; i++) w.record("alice", `a${i}`, "x");
    assert.ok(w.size.frames <= 50, `queue holds ${w.size.frames}`);
    assert.deepEqual(framesOf(w.since("alice", "a9998")), ["x"]);
  });

  it("when frames arrived just before the last seen one, then those within the reorder margin are replayed too", () => {
    const { w, clock } = windowWithClock({ reorderMarginMs: 500 });
    w.record("alice", "a1", "A1");
    clock.t += 1000;
    w.record("alice", "a2", "A2");
    clock.t += 100;
    w.record("alice", "a3", "A3");
    clock.t += 100;
    w.record("alice", "a4", "A4");
    assert.deepEqual(framesOf(w.since("alice", "a3")), ["A2", "A4"]);
  });

  it("when limits are not positive, then the window refuses them", () => {
    assert.throws(() => new ReplayWindow({ ...limits, perUser: 0 }), RangeError);
    assert.throws(() => new ReplayWindow({ ...limits, maxAgeMs: Number.NaN }), RangeError);
  });
});

describe("websocket domain: replay request", () => {
  it("when lastEventId is absent, valid, repeated or malformed, then it is none, the id, or a message naming it", () => {
    assert.deepEqual(replayRequestOf("/ws?token=x"), { ok: true, lastEventId: null });
    assert.deepEqual(replayRequestOf("/ws?lastEventId=0b7c3c9e-8d1f-4f0a-9a57-2b1d7e0f6c11"), { ok: true, lastEventId: "0b7c3c9e-8d1f-4f0a-9a57-2b1d7e0f6c11" });
    for (const bad of ["/ws?lastEventId=", "/ws?lastEventId=a%20b", `/ws?lastEventId=${"a".repeat(201)}`, "/ws?lastEventId=a&lastEventId=b"]) {
      const r = replayRequestOf(bad);
      assert.equal(r.ok, false, bad);
      assert.match((r as { message: string }).message, /^lastEventId/);
    }
  });
});
