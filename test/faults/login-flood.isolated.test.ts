import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { LocalRuntime } from "#services/local-runtime";
import { percentile } from "../../scripts/bench/latency-stats";
import { request, signUp, startQuietRuntime, type ApiResponse } from "./support/fault-runtime";

const PASSWORD = "a-long-enough-passphrase-42";
const FAILURES_PER_ACCOUNT = 5;
const ATTEMPTS_PER_ADDRESS = 40;

const login = (url: string, email: string, password: string, headers: Record<string, string> = {}) =>
  request(url, "POST", "/api/auth/login", { body: { email, password }, headers });

function assertThrottled(res: ApiResponse, code: string, what: string) {
  assert.equal(res.status, 429, `${what}: ${res.status} ${res.text}`);
  assert.equal(res.body.error.code, code, what);
  assert.match(res.headers.get("retry-after") ?? "", /^[1-9]\d*$/, `${what}: Retry-After`);
}

/**
 * Login floods through the public port of `npm start` (issue 12, finding 3): one account guessed, one
 * address spraying, 50 hashes asked for at once while another user works.
 */
describe("faults: login flood", function () {
  this.timeout(180_000);
  let runtime: LocalRuntime;

  before(async () => {
    runtime = await startQuietRuntime({
      services: ["backend"],
      env: { AUTH_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT), AUTH_ATTEMPTS_PER_ADDRESS_PER_MINUTE: String(ATTEMPTS_PER_ADDRESS) },
    });
  });
  after(async () => {
    await runtime?.stop();
  });

  it("when one account's password is guessed wrong too often, then even the right one is 429 with Retry-After, and other accounts still log in", async () => {
    const victim = `victim-${randomUUID()}@example.com`;
    const other = `other-${randomUUID()}@example.com`;
    for (const email of [victim, other]) assert.equal((await request(runtime.url, "POST", "/api/auth/signup", { body: { email, password: PASSWORD } })).status, 201);
    for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) assert.equal((await login(runtime.url, victim, `wrong-guess-${i}-x`)).status, 401);
    assertThrottled(await login(runtime.url, victim, "one-more-guess-1"), "too_many_attempts", "the next guess");
    assertThrottled(await login(runtime.url, victim, PASSWORD), "too_many_attempts", "the right password while throttled");
    assert.equal((await login(runtime.url, other, PASSWORD)).status, 200, "another account is not locked with it");
  });

  it("when 50 logins and signups arrive at once, then nobody gets a 5xx, the surplus is 429 with Retry-After, and another user's requests keep p95 < 100 ms", async () => {
    const bystander = await signUp(runtime.url);
    for (let i = 0; i < 3; i++) assert.equal((await request(runtime.url, "POST", "/api/tasks", { token: bystander.token, body: { title: `mine ${i}` } })).status, 201);
    for (let i = 0; i < 5; i++) await request(runtime.url, "GET", "/api/tasks", { token: bystander.token }); // warm

    let flooding = true;
    const seen: Array<{ ms: number; status: number }> = [];
    const bystanderLoop = (async () => {
      while (flooding) {
        const started = performance.now();
        const res = await request(runtime.url, "GET", "/api/tasks", { token: bystander.token });
        seen.push({ ms: performance.now() - started, status: res.status });
      }
    })();
    const target = `flooded-${randomUUID()}@example.com`;
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 5 === 4
          ? request(runtime.url, "POST", "/api/auth/signup", { body: { email: `burst-${i}-${randomUUID()}@example.com`, password: PASSWORD } })
          : login(runtime.url, i % 2 ? target : `nobody-${i}@example.com`, `guess-number-${i}`),
      ),
    );
    flooding = false;
    await bystanderLoop;

    const statuses = burst.map((r) => r.status);
    assert.deepEqual(statuses.filter((s) => ![201, 401, 429].includes(s)), [], `burst answers: ${JSON.stringify(statuses)}`);
    const throttled = burst.filter((r) => r.status === 429);
    assert.ok(throttled.length > 0, "the surplus is refused, not queued without bound");
    for (const r of throttled) assertThrottled(r, r.body.error.code, "a refused burst request");
    assert.ok(seen.length >= 5, `the bystander got ${seen.length} answers during the burst`);
    assert.deepEqual(seen.filter((s) => s.status !== 200), [], "the bystander's requests all succeed");
    const p95 = percentile(seen.map((s) => s.ms), 95);
    console.log(`      bystander: ${seen.length} requests during the burst, p95 ${p95.toFixed(1)} ms; burst: ${JSON.stringify(Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])))}`);
    assert.ok(p95 < 100, `bystander p95 ${p95.toFixed(1)} ms`);
  });

  it("when an address has used up its attempts, then rotating X-Forwarded-For through the gateway does not buy more", async () => {
    let first: ApiResponse | undefined;
    for (let i = 0; i < ATTEMPTS_PER_ADDRESS + 5 && !first; i++) {
      const res = await login(runtime.url, `spray-${i}@example.com`, "sprayed-password-1", { "x-forwarded-for": `203.0.113.${i % 250}` });
      if (res.status === 429 && res.body.error.code === "too_many_attempts") first = res;
      else assert.ok([401, 429].includes(res.status), `${res.status} ${res.text}`);
    }
    assert.ok(first, `no per-address 429 within ${ATTEMPTS_PER_ADDRESS + 5} attempts with a fresh X-Forwarded-For each`);
    for (const spoofed of ["198.51.100.7", "10.1.2.3", "192.0.2.1, 198.51.100.8", "::1"]) {
      assertThrottled(await login(runtime.url, "spray-more@example.com", "sprayed-password-1", { "x-forwarded-for": spoofed, "x-real-ip": spoofed, forwarded: `for=${spoofed}` }), "too_many_attempts", `X-Forwarded-For ${spoofed}`);
    }
  });
});
