import type { WebSocketFrame } from "../api/types";

export type LiveStatus = "connecting" | "live" | "offline";

export interface LiveUpdatesOptions {
  url: string;
  token: string;
  onFrame: (frame: WebSocketFrame) => void;
  /** Called after every successful (re)connect: the page refetches what it may have missed. */
  onConnected: () => void;
  onStatus: (status: LiveStatus) => void;
  /** The server closed the socket because the token expired (close code 4001): sign in again. */
  onExpired: () => void;
}

const CLOSE_TOKEN_EXPIRED = 4001;

/**
 * The page's WebSocket to `/ws`: the token travels as a subprotocol (not in the URL, which ends up in
 * logs), reconnects with capped exponential backoff, and reports its status for the UI.
 */
export class LiveUpdates {
  private socket: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly opts: LiveUpdatesOptions) {}

  start(): void {
    this.closed = false;
    this.connect();
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000, "signed out");
    this.socket = null;
  }

  private connect(): void {
    this.opts.onStatus("connecting");
    const socket = new WebSocket(this.opts.url, ["bearer", this.opts.token]);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.opts.onStatus("live");
      this.opts.onConnected();
    };
    socket.onmessage = (msg) => {
      try {
        this.opts.onFrame(JSON.parse(String(msg.data)) as WebSocketFrame);
      } catch {
        /* a frame we cannot read is ignored; the next refetch corrects the view */
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
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
}

export function webSocketUrl(location: Location): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
}
