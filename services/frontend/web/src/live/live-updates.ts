import type { ServerFrame, WebSocketFrame } from "../api/types";
import { CLOSE_TOKEN_EXPIRED } from "@todo/contracts/close-codes";

export type LiveStatus = "connecting" | "live" | "offline";

/** Why the page must refetch: its first connect, a reconnect the server could not fill in, or a gap. */
export type ResyncReason = "first-connect" | "too-old" | "no-replay";

export interface LiveUpdatesOptions {
  url: string;
  token: string;
  /** Each event frame once (replays after a reconnect may repeat frames the page already has). */
  onFrame: (frame: WebSocketFrame) => void;
  /** The page's state may be missing frames: refetch. Not called after a reconnect that was caught up. */
  onResync: (reason: ResyncReason) => void;
  onStatus: (status: LiveStatus) => void;
  /** The server closed the socket because the token expired (CLOSE_TOKEN_EXPIRED): sign in again. */
  onExpired: () => void;
}

/** Frame ids remembered to drop repeats (a replay includes a reorder margin before the last seen id). */
const SEEN_IDS = 500;
/** A server that ignores `lastEventId` never answers with a replay.* frame: refetch after this long. */
const REPLAY_ANSWER_MS = 3000;

/**
 * The page's WebSocket to `/ws`: the token travels as a subprotocol (not in the URL, which ends up in
 * logs), reconnects with capped exponential backoff and `?lastEventId=<last frame seen>` so the server
 * replays what was missed, and reports its status for the UI.
 */
export class LiveUpdates {
  private socket: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private replayTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private lastEventId: string | null = null;
  private readonly seen = new Set<string>();

  constructor(private readonly opts: LiveUpdatesOptions) {}

  start(): void {
    this.closed = false;
    this.connect();
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.clearReplayTimer();
    this.socket?.close(1000, "signed out");
    this.socket = null;
  }

  private connect(): void {
    this.opts.onStatus("connecting");
    const resume = this.lastEventId;
    const url = resume ? `${this.opts.url}?lastEventId=${encodeURIComponent(resume)}` : this.opts.url;
    const socket = new WebSocket(url, ["bearer", this.opts.token]);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.opts.onStatus("live");
      if (!resume) this.opts.onResync("first-connect");
      else this.replayTimer = setTimeout(() => this.opts.onResync("no-replay"), REPLAY_ANSWER_MS);
    };
    socket.onmessage = (msg) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(msg.data)) as ServerFrame;
      } catch {
        return; // a frame we cannot read is ignored; the next refetch corrects the view
      }
      this.receive(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearReplayTimer();
      if (this.closed) return;
      if (event.code === CLOSE_TOKEN_EXPIRED) {
        this.closed = true;
        this.opts.onExpired();
        return;
      }
      this.opts.onStatus("offline");
      const delay = Math.min(500 * 2 ** this.attempts++, 15_000) * (0.75 + Math.random() * 0.5);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  private receive(frame: ServerFrame): void {
    if (frame.type === "replay.complete" || frame.type === "replay.too_old") {
      this.clearReplayTimer();
      if (frame.type === "replay.too_old") this.opts.onResync("too-old");
      return;
    }
    if (typeof frame.id !== "string") return;
    this.lastEventId = frame.id;
    if (this.seen.has(frame.id)) return;
    this.seen.add(frame.id);
    if (this.seen.size > SEEN_IDS) this.seen.delete(this.seen.values().next().value!);
    this.opts.onFrame(frame);
  }

  private clearReplayTimer(): void {
    if (this.replayTimer) clearTimeout(this.replayTimer);
    this.replayTimer = null;
  }
}

export function webSocketUrl(location: Location): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
}
