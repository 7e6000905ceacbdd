import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { JWT_SECRET_NAME, TokenService } from "../../shared/src/auth/tokens";
import type { RunningService } from "../../shared/src/http/run-service";
import { startRecordingSidecar, type RecordingSidecar } from "../../testing/recording-sidecar";
import { configSchema } from "../src/config";
import { CLOSE_POLICY_VIOLATION, CLOSE_TOO_MANY_CONNECTIONS } from "@todo/contracts/close-codes";
import { start } from "../src/websocket-service";

const SECRET = "a-test-secret-that-is-long-enough-for-hs256";
const tokens = new TokenService(SECRET);

/** Opens a socket and resolves once it is open, or closed before being usable (with its close code). */
async function open(base: string, userId: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const token = await tokens.sign({ id: userId, email: `${userId}@example.com` });
  const ws = new WebSocket(`${base.replace("http", "ws")}/ws?token=${token}`);
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, closed };
}

const stillOpen = async (ws: WebSocket) => {
  await new Promise((r) => setTimeout(r, 100));
  return ws.readyState === WebSocket.OPEN;
};

describe("websocket service: per-user limits", () => {
  let sidecar: RecordingSidecar;
  let service: RunningService;
  const sockets: WebSocket[] = [];

  before(async () => {
    sidecar = await startRecordingSidecar({ secrets: { [JWT_SECRET_NAME]: SECRET } });
    service = await start(
      configSchema.parse({ PORT: "0", HOST: "127.0.0.1", DAPR_HTTP_PORT: String(sidecar.port), LOG_LEVEL: "silent", SHUTDOWN_TIMEOUT_S: "2", MAX_CONNECTIONS_PER_USER: "3", MAX_MESSAGES_PER_MINUTE: "5" }),
    );
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await service?.stop();
    await sidecar?.stop();
  });

  it("when a user opens more sockets than the cap, then the extra one is closed with 4029 and the others stay; other users are unaffected", async () => {
    const mallory = randomUUID();
    const allowed = [];
    for (let i = 0; i < 3; i++) allowed.push(await open(service.url, mallory));
    sockets.push(...allowed.map((s) => s.ws));
    const extra = await open(service.url, mallory);
    sockets.push(extra.ws);
    assert.equal(await extra.closed, CLOSE_TOO_MANY_CONNECTIONS);
    for (const s of allowed) assert.equal(await stillOpen(s.ws), true);
    const other = await open(service.url, randomUUID());
    sockets.push(other.ws);
    assert.equal(await stillOpen(other.ws), true);

    // A closed socket frees its place.
    allowed[0]!.ws.close();
    await allowed[0]!.closed;
    const again = await open(service.url, mallory);
    sockets.push(again.ws);
    assert.equal(await stillOpen(again.ws), true);
  });

  it("when a client sends more messages than a page ever does, then its socket is closed with 1008", async () => {
    const chatty = await open(service.url, randomUUID());
    sockets.push(chatty.ws);
    for (let i = 0; i < 5; i++) chatty.ws.send("hi");
    assert.equal(await stillOpen(chatty.ws), true, "within the budget");
    for (let i = 0; i < 5; i++) chatty.ws.send("hi");
    assert.equal(await chatty.closed, CLOSE_POLICY_VIOLATION);
  });
});
