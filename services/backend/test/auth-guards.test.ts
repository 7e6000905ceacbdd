import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { TokenService } from "../../shared/src/auth/tokens";
import { addressKey } from "../../shared/src/http/client-address";
import { stopTestDatabases } from "../../testing/database";
import { HashQueueFull, PasswordHashQueue } from "../src/domain/password-hash-queue";
import { COMMON_PASSWORD, isCommonPassword, passwordProblem } from "../src/domain/password-policy";
import { BackendHarness, JWT_SECRET } from "./backend-harness";

describe("auth guards", () => {
  describe("common passwords (ASVS 2.1.7, zxcvbn-ts list, offline)", () => {
    it("when a password is a listed one in any case, or one with digits/symbols padded around it, then it is refused", () => {
      for (const p of ["password123", "Password1!", "qwerty12345", "P@ssw0rd123", "!!Sunshine2024", "ILOVEYOU<3<3", "ＰＡＳＳＷＯＲＤ１２３", "Letmein 2024!"]) {
        assert.equal(isCommonPassword(p), true, p);
        assert.equal(passwordProblem(p), COMMON_PASSWORD, p);
      }
    });

    it("when a passphrase merely contains listed words, then it is allowed", () => {
      for (const p of ["correct horse 1", "Correct-Horse-42", "a-long-enough-passphrase-42", "Tr0ub4dor&3x", "dragonfly-sunset-42"]) {
        assert.equal(isCommonPassword(p), false, p);
        assert.equal(passwordProblem(p), null, p);
      }
    });
  });

  describe("tokens", () => {
    const tokens = new TokenService(JWT_SECRET);
    const key = new TextEncoder().encode(JWT_SECRET);
    const base = () => new SignJWT({ email: "a@example.com" }).setProtectedHeader({ alg: "HS256" }).setIssuer("todo-platform").setAudience("todo-api").setIssuedAt();

    it("when a correctly signed token has no exp, then it is refused; with one, it is accepted and carries its expiry", async () => {
      const id = randomUUID();
      assert.equal(await tokens.verify(await base().setSubject(id).sign(key)), null, "no exp");
      const withExp = await tokens.verify(await base().setSubject(id).setExpirationTime("1h").sign(key));
      assert.equal(withExp?.id, id);
      assert.ok(withExp.expiresAt instanceof Date);
      assert.equal(await tokens.verify(await base().setExpirationTime("1h").sign(key)), null, "no sub");
    });
  });

  describe("password hash queue", () => {
    it("when more hashes are asked for than run plus wait, then the surplus is refused at once with a retry time, and all others finish", async () => {
      const queue = new PasswordHashQueue(1, 2);
      let running = 0;
      let most = 0;
      const hash = async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return true;
      };
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => queue.run(hash)));
      assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 3);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
      assert.equal(refused.length, 3);
      for (const r of refused) {
        assert.ok(r.reason instanceof HashQueueFull);
        assert.ok(r.reason.retryAfterS >= 1);
      }
      assert.equal(most, 1, "never more than one hash at a time");
      assert.equal(queue.load, 0);
    });

    it("when a hash fails, then its slot is handed on", async () => {
      const queue = new PasswordHashQueue(1, 1);
      const failing = queue.run(async () => {
        throw new Error("boom");
      });
      const next = queue.run(async () => "ok");
      await assert.rejects(failing, /boom/);
      assert.equal(await next, "ok");
    });
  });

  describe("client address keys", () => {
    it("when the address is IPv4-mapped or IPv6, then v4 is itself and v6 counts per /64", () => {
      assert.equal(addressKey("::ffff:203.0.113.7"), "203.0.113.7");
      assert.equal(addressKey("203.0.113.7"), "203.0.113.7");
      assert.equal(addressKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
      assert.equal(addressKey("2001:db8:1:2:ffff:ffff:ffff:fffe"), "2001:db8:1:2::/64");
      assert.equal(addressKey("2001:db8::1"), "2001:db8:0:0::/64");
      assert.equal(addressKey("::1"), "0:0:0:0::/64");
    });
  });

  describe("through the backend (real PostgreSQL)", () => {
    let h: BackendHarness;
    before(async () => {
      h = await BackendHarness.start({ AUTH_FAILURES_PER_ACCOUNT: "3", AUTH_ATTEMPTS_PER_ADDRESS_PER_MINUTE: "1000" });
    });
    after(async () => {
      await h?.stop();
      await stopTestDatabases();
    });

    it("when signup uses a common password, then it is 400 weak_password naming the field", async () => {
      for (const password of ["password123", "Password1!", "qwerty12345"]) {
        const res = await h.request("POST", "/api/auth/signup", { body: { email: `${randomUUID()}@example.com`, password } });
        assert.equal(res.status, 400, password);
        assert.equal(res.body.error.code, "weak_password");
        assert.equal(res.body.error.details[0].field, "password");
      }
    });

    it("when an account fails its budget, then it is 429 with Retry-After until the window ends; a second replica shares the count", async () => {
      const user = await h.user();
      const replica = await h.startReplica({ AUTH_FAILURES_PER_ACCOUNT: "3" });
      try {
        // Failures spread over two replicas count together: the counters are in PostgreSQL.
        for (const base of [h.service.url, replica.url, h.service.url]) {
          assert.equal((await h.request("POST", "/api/auth/login", { base, body: { email: user.email, password: "wrong horse 1" } })).status, 401);
        }
        for (const base of [replica.url, h.service.url]) {
          const res = await h.request("POST", "/api/auth/login", { base, body: { email: user.email, password: "correct horse 1" } });
          assert.equal(res.status, 429);
          assert.equal(res.body.error.code, "too_many_attempts");
          assert.ok(Number(res.headers.get("retry-after")) >= 1);
        }
      } finally {
        await replica.stop();
      }
    });

    it("when DELETE /api/account is sent wrong passwords, then they count as failed logins: 403s, then 429, and the account stays", async () => {
      const user = await h.user();
      for (let i = 0; i < 3; i++) {
        const res = await h.request("DELETE", "/api/account", { token: user.token, body: { password: `guess number ${i}` } });
        assert.equal(res.status, 403, JSON.stringify(res.body));
      }
      const throttled = await h.request("DELETE", "/api/account", { token: user.token, body: { password: "correct horse 1" } });
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body.error.code, "too_many_attempts");
      assert.equal((await h.request("GET", "/api/tasks", { token: user.token })).status, 200, "the account is still there");
      assert.equal((await h.request("POST", "/api/auth/login", { body: { email: user.email, password: "correct horse 1" } })).status, 429, "the same budget as logins");
    });

    it("when the right password follows a few failures, then it works and clears the account's count", async () => {
      const user = await h.user();
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 2; i++) assert.equal((await h.request("POST", "/api/auth/login", { body: { email: user.email, password: "wrong horse 1" } })).status, 401);
        assert.equal((await h.request("POST", "/api/auth/login", { body: { email: user.email, password: "correct horse 1" } })).status, 200, `round ${round}`);
      }
    });
  });
});
