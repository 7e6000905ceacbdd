import assert from "node:assert/strict";
import { InFlightWrites } from "../src/domain/in-flight-writes";

describe("backend: a user's writes in flight", () => {
  it("when a user has every slot running, then the next write waits for a slot, one past the line is refused at once, and other users are not held", async () => {
    const writes = new InFlightWrites(2, 1);
    const a = await writes.acquire("u");
    const b = await writes.acquire("u");
    assert.ok(a && b);
    let third: (() => void) | null | undefined;
    const waiting = writes.acquire("u").then((r) => (third = r));
    assert.equal(await writes.acquire("u"), null, "the line (1) is full");
    assert.ok(await writes.acquire("someone else"), "another user has their own slots");
    await Promise.resolve();
    assert.equal(third, undefined, "still waiting while both slots run");
    a();
    a(); // a second release gives nothing back twice
    await waiting;
    assert.ok(third, "the released slot went to the write in line");
    // b and third run: a double release of a did not free a third slot, so one more waits and the next is refused
    let fourth: (() => void) | null | undefined;
    const inLine = writes.acquire("u").then((r) => (fourth = r));
    assert.equal(await writes.acquire("u"), null);
    b();
    await inLine;
    assert.ok(fourth);
  });
});
