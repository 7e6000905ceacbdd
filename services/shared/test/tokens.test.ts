import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { TokenService } from "../src/auth/tokens";
import { VerifiedTokens } from "../src/auth/verified-tokens";

const SECRET = "s".repeat(40);

describe("token verification and the cache of verified tokens", () => {
  /** A clock the test moves; signing still uses the real time, as jose does. */
  function service(kept?: number) {
    let now = Date.now();
    const tokens = new TokenService(SECRET, 60, { verifiedTokensKept: kept, clock: () => now });
    return { tokens, advance: (ms: number) => (now += ms) };
  }

  it("when a verified token is presented again, then it answers the same user, as a new object each time", async () => {
    const { tokens } = service();
    const id = randomUUID();
    const token = await tokens.sign({ id, email: "a@example.com" });
    const first = await tokens.verify(token);
    const second = await tokens.verify(token);
    assert.equal(first?.id, id);
    assert.deepEqual(second, first);
    assert.notEqual(second, first, "a handler changing req.user cannot change the next request's");
    assert.equal(tokens.verifiedTokensKept, 1);
  });

  it("when a cached token's exp passes, then it is rejected and forgotten", async () => {
    const { tokens, advance } = service();
    const token = await tokens.sign({ id: randomUUID(), email: "a@example.com" });
    assert.ok(await tokens.verify(token));
    assert.equal(tokens.verifiedTokensKept, 1, "cached");
    advance(58_000);
    assert.ok(await tokens.verify(token), "still valid before its exp");
    advance(3_000);
    assert.equal(await tokens.verify(token), null);
    assert.equal(tokens.verifiedTokensKept, 0);
  });

  it("when a token carries a cached token's header and payload with another signature, then it is rejected", async () => {
    const { tokens } = service();
    const user = { id: randomUUID(), email: "a@example.com" };
    const good = await tokens.sign(user);
    assert.ok(await tokens.verify(good));
    const [header, payload] = good.split(".");
    const otherSignature = (await new TokenService("o".repeat(40), 60).sign(user)).split(".")[2];
    assert.equal(await tokens.verify(`${header}.${payload}.${otherSignature}`), null);
    assert.equal(await tokens.verify(`${header}.${payload}.`), null, "no signature");
    assert.ok(await tokens.verify(good), "the genuine one still verifies");
    assert.equal(tokens.verifiedTokensKept, 1, "nothing invalid was remembered");
  });

  it("when more distinct tokens verify than the cache keeps, then it stays at its bound, the oldest gone", async () => {
    const { tokens } = service(3);
    const signed = await Promise.all(Array.from({ length: 5 }, (_, i) => tokens.sign({ id: randomUUID(), email: `u${i}@example.com` })));
    for (const token of signed) assert.ok(await tokens.verify(token));
    assert.equal(tokens.verifiedTokensKept, 3);
    // the oldest was evicted, so presenting it verifies again and takes a place (still 3)
    assert.equal((await tokens.verify(signed[0]!))?.email, "u0@example.com");
    assert.equal(tokens.verifiedTokensKept, 3);
    assert.equal(await tokens.verify("not.a.token"), null);
    assert.equal(tokens.verifiedTokensKept, 3);
  });

  it("when the cache is full, then adding evicts the oldest entry and keeps the newer ones", () => {
    const cache = new VerifiedTokens(2);
    const exp = Math.floor(Date.now() / 1000) + 60;
    for (const t of ["t1", "t2", "t3"]) cache.add(t, { id: t, email: `${t}@example.com`, exp });
    assert.equal(cache.size, 2);
    assert.equal(cache.get("t1", Date.now()), null);
    assert.deepEqual([cache.get("t2", Date.now())?.id, cache.get("t3", Date.now())?.id], ["t2", "t3"]);
  });
});
