import assert from "node:assert/strict";
import WebSocket from "ws";
import type { LocalRuntime } from "#services/local-runtime";
// an erased account's sockets close with the expired-token code: the page then shows the sign-in
import { CLOSE_ACCOUNT_DELETED } from "@todo/contracts/close-codes";
import { request, signUp, startQuietRuntime } from "./support/fault-runtime";

const PASSWORD = "a-long-enough-passphrase-42"; // signUp's

/** Opens a live-updates socket through the gateway; resolves with it and a promise of its close code. */
async function openSocket(runtime: LocalRuntime, token: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`${runtime.url.replace("http", "ws")}/ws`, ["bearer", token]);
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, closed };
}

const within = <T>(ms: number, what: string, p: Promise<T>) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms))]);

/**
 * Account deletion and live sockets through `npm start` (issue 12): the `account.deleted` event reaches
 * the websocket service by the topology's subscription, and the deleted user's open sockets close,
 * while a token still in hand (valid for hours) cannot open a new one.
 */
describe("faults: a deleted account's live sockets", function () {
  this.timeout(120_000);
  let runtime: LocalRuntime;

  before(async () => {
    runtime = await startQuietRuntime({ services: ["backend", "websocket"] });
  });
  after(async () => {
    await runtime?.stop();
  });

  it("when a user deletes their account, then their open sockets close with 4001, a reconnect with the old token is closed too, and another user's socket stays open", async () => {
    const [leaving, staying] = await Promise.all([signUp(runtime.url), signUp(runtime.url)]);
    const mine = await Promise.all([openSocket(runtime, leaving.token), openSocket(runtime, leaving.token)]);
    const theirs = await openSocket(runtime, staying.token);
    const deleted = await request(runtime.url, "DELETE", "/api/account", { token: leaving.token, body: { password: PASSWORD } });
    assert.equal(deleted.status, 204, deleted.text);
    assert.deepEqual(await within(15_000, "the sockets closing", Promise.all(mine.map((s) => s.closed))), [CLOSE_ACCOUNT_DELETED, CLOSE_ACCOUNT_DELETED]);
    const again = await openSocket(runtime, leaving.token);
    assert.equal(await within(5000, "the reconnect closing", again.closed), CLOSE_ACCOUNT_DELETED);
    assert.equal(theirs.ws.readyState, WebSocket.OPEN);
    theirs.ws.close();
  });
});
