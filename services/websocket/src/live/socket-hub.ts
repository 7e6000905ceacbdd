import type { WebSocket } from "ws";
import type { AnyEvent } from "@todo/contracts/events";
import type { ReplayFrame } from "@todo/contracts/frames";
import type { AuthUser } from "../../../shared/src/auth/tokens";
import type { Logger } from "../../../shared/src/telemetry/logger";
import { websocketClientsDropped, websocketConnections, websocketFramesSent } from "../../../shared/src/telemetry/websocket-metrics";
import { ConnectionRegistry } from "../domain/connection-registry";
import { ErasedAccounts } from "../domain/erased-accounts";
import { planDelivery } from "../domain/frames";
import { CLOSE_ACCOUNT_DELETED, CLOSE_GOING_AWAY, CLOSE_POLICY_VIOLATION, CLOSE_TOKEN_EXPIRED, CLOSE_TOO_MANY_CONNECTIONS, CLOSE_TRY_AGAIN_LATER } from "@todo/contracts/close-codes";
import { RecentEventIds } from "../domain/recent-event-ids";
import { ReplayWindow, type ReplayWindowLimits } from "../domain/replay-window";

/** Deleted accounts one replica remembers, to refuse their still-valid tokens (see ErasedAccounts). */
const ERASED_ACCOUNTS_REMEMBERED = 100_000;
/** setTimeout's largest delay; a token living longer is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SocketHubOptions {
  log: Logger;
  /** A peer that has not answered the previous ping by the next one is terminated. */
  heartbeatIntervalMs: number;
  /** A connection whose unsent bytes exceed this is closed instead of buffering without bound. */
  maxBufferedBytes: number;
  /** How many recent event ids are remembered to suppress redelivered frames. */
  recentEventIds: number;
  /** The catch-up window for reconnects with `?lastEventId=`. */
  replay: ReplayWindowLimits;
  /** How long a closing handshake may take before the socket is cut. */
  closeGraceMs?: number;
  /** Open sockets one user may hold on this replica; one more is closed at once with 4029. */
  maxConnectionsPerUser: number;
  /** Messages a client may send per minute on one socket (the page sends none); more closes it with 1008. */
  maxMessagesPerMinute: number;
}

interface Peer {
  userId: string;
  alive: boolean;
  expiry?: NodeJS.Timeout;
}

/** The live connections of this replica: registration, fan-out to one user, heartbeats, shutdown. */
export class SocketHub {
  private readonly registry = new ConnectionRegistry<WebSocket>();
  private readonly peers = new WeakMap<WebSocket, Peer>();
  private readonly seen: RecentEventIds;
  private readonly window: ReplayWindow;
  private readonly erased = new ErasedAccounts(ERASED_ACCOUNTS_REMEMBERED);
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closeGraceMs: number;
  closing = false;

  constructor(private readonly opts: SocketHubOptions) {
    this.seen = new RecentEventIds(opts.recentEventIds);
    this.window = new ReplayWindow(opts.replay);
    this.closeGraceMs = opts.closeGraceMs ?? 1000;
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    return this.registry.size;
  }

  /**
   * Registers an accepted socket. With `lastEventId`, first sends what the user missed after that frame
   * (then `replay.complete`) or `replay.too_old`; this runs before the socket is registered and
   * synchronously, so no live frame can slip in between or ahead of the replay.
   */
  attach(ws: WebSocket, user: AuthUser, lastEventId: string | null = null): void {
    // Bounded per user, so one account cannot hold every socket (and file descriptor) of a replica. The
    // upgrade is accepted first so that the page gets a close code it can act on: a refused HTTP upgrade
    // only reaches a browser as code 1006, which its reconnect loop would retry at once.
    if (this.erased.has(user.id)) {
      websocketClientsDropped.inc({ reason: "erased" });
      this.closeUnregistered(ws, CLOSE_ACCOUNT_DELETED, "account deleted");
      return;
    }
    if (this.registry.countOf(user.id) >= this.opts.maxConnectionsPerUser) {
      websocketClientsDropped.inc({ reason: "too_many" });
      this.opts.log.info({ userId: user.id, limit: this.opts.maxConnectionsPerUser }, "websocket refused: too many connections");
      this.closeUnregistered(ws, CLOSE_TOO_MANY_CONNECTIONS, "too many connections for this user");
      return;
    }
    if (lastEventId !== null) this.replay(ws, user.id, lastEventId);
    // A socket outliving its token would keep streaming to someone who is no longer signed in.
    const expiry = user.expiresAt ? this.closeAt(ws, user.expiresAt) : undefined;
    this.peers.set(ws, { userId: user.id, alive: true, expiry });
    this.registry.add(user.id, ws);
    websocketConnections.inc();
    ws.on("pong", () => {
      const peer = this.peers.get(ws);
      if (peer) peer.alive = true;
    });
    // Browsers have nothing to tell us; incoming messages are ignored (maxPayload bounds their size, this
    // their rate: each still costs a parse and a wake-up).
    let windowStart = Date.now();
    let messages = 0;
    ws.on("message", () => {
      if (Date.now() - windowStart > 60_000) {
        windowStart = Date.now();
        messages = 0;
      }
      if (++messages > this.opts.maxMessagesPerMinute && this.peers.has(ws)) this.drop(ws, "flood", CLOSE_POLICY_VIOLATION, "too many messages");
    });
    ws.on("error", (err) => this.opts.log.debug({ err: err.message, userId: user.id }, "websocket error"));
    ws.on("close", () => this.forget(ws));
  }

  /**
   * Sends an event's frame to the connections of its owner on this replica. "duplicate" when the same
   * event id was already handled (redelivery), so a second frame is never sent.
   */
  deliver(event: AnyEvent): "success" | "duplicate" {
    if (!this.seen.firstSighting(event.id)) return "duplicate";
    if (event.type === "account.deleted") {
      this.closeAccount(event.data.userId);
      return "success";
    }
    const delivery = planDelivery(event, (userId) => this.registry.connectionsOf(userId));
    if (!delivery) return "success";
    const payload = JSON.stringify(delivery.frame);
    // Kept even when the owner has no socket here: they may reconnect to this replica.
    if (delivery.owner) this.window.record(delivery.owner, delivery.frame.id, payload);
    for (const ws of delivery.recipients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount + Buffer.byteLength(payload) > this.opts.maxBufferedBytes) {
        this.drop(ws, "slow", CLOSE_TRY_AGAIN_LATER, "client too slow");
        continue;
      }
      ws.send(payload);
      websocketFramesSent.inc({ type: delivery.frame.type });
    }
    return "success";
  }

  /**
   * `account.deleted`: every socket of the user on this replica is closed, their kept frames dropped,
   * and their (still valid) token refused from now on. Every replica hears it (`perReplica`).
   */
  private closeAccount(userId: string): void {
    this.erased.add(userId);
    this.window.forget(userId);
    const sockets = this.registry.connectionsOf(userId);
    for (const ws of sockets) this.drop(ws, "erased", CLOSE_ACCOUNT_DELETED, "account deleted");
    if (sockets.length) this.opts.log.info({ userId, sockets: sockets.length }, "websockets closed: account deleted");
  }

  private closeUnregistered(ws: WebSocket, code: number, text: string): void {
    ws.close(code, text);
    setTimeout(() => ws.terminate(), this.closeGraceMs).unref();
  }

  private replay(ws: WebSocket, userId: string, lastEventId: string): void {
    const answer = this.window.since(userId, lastEventId);
    const time = new Date().toISOString();
    // A replay larger than the send bound would only get the socket closed as slow: refetching is cheaper.
    const bytes = answer.kind === "frames" ? answer.payloads.reduce((n, p) => n + Buffer.byteLength(p), 0) : 0;
    if (answer.kind === "too_old" || bytes > this.opts.maxBufferedBytes / 2) {
      this.sendControl(ws, { type: "replay.too_old", time, data: { lastEventId } });
      return;
    }
    for (const payload of answer.payloads) ws.send(payload);
    websocketFramesSent.inc({ type: "replayed" }, answer.payloads.length);
    this.sendControl(ws, { type: "replay.complete", time, data: { lastEventId, replayed: answer.payloads.length } });
  }

  private sendControl(ws: WebSocket, frame: ReplayFrame): void {
    ws.send(JSON.stringify(frame));
    websocketFramesSent.inc({ type: frame.type });
  }

  /** Stops heartbeats and closes every connection with 1001 (clients reconnect to another replica). */
  async shutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    const all = this.registry.all().map((e) => e.connection);
    const closed = all.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once("close", () => resolve()))));
    for (const ws of all) this.drop(ws, "shutdown", CLOSE_GOING_AWAY, "server shutting down");
    await Promise.all(closed);
  }

  private beat(): void {
    for (const { connection: ws } of this.registry.all()) {
      const peer = this.peers.get(ws);
      if (!peer) continue;
      if (!peer.alive) {
        this.forget(ws, "heartbeat");
        ws.terminate();
        continue;
      }
      peer.alive = false;
      ws.ping();
    }
  }

  private closeAt(ws: WebSocket, expiresAt: Date): NodeJS.Timeout {
    const ms = expiresAt.getTime() - Date.now();
    const timer = setTimeout(() => {
      if (ms > MAX_TIMER_MS) {
        const peer = this.peers.get(ws);
        if (peer) peer.expiry = this.closeAt(ws, expiresAt);
      } else this.drop(ws, "expired", CLOSE_TOKEN_EXPIRED, "token expired");
    }, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
    timer.unref();
    return timer;
  }

  /** Closes with a code and reason, and cuts the socket if the peer does not finish the handshake. */
  private drop(ws: WebSocket, reason: "slow" | "shutdown" | "expired" | "flood" | "erased", code: number, text: string): void {
    this.forget(ws, reason);
    ws.close(code, text);
    setTimeout(() => ws.terminate(), this.closeGraceMs).unref();
  }

  private forget(ws: WebSocket, droppedFor?: "slow" | "heartbeat" | "shutdown" | "expired" | "flood" | "erased"): void {
    const peer = this.peers.get(ws);
    if (peer?.expiry) clearTimeout(peer.expiry);
    if (!peer || !this.registry.remove(peer.userId, ws)) return;
    websocketConnections.dec();
    if (droppedFor) {
      websocketClientsDropped.inc({ reason: droppedFor });
      this.opts.log.info({ userId: peer.userId, reason: droppedFor }, "websocket dropped");
    }
  }
}
