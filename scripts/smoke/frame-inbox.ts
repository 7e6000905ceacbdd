/**
 * The smoke user's live connection: `GET /ws?token=` upgraded to a WebSocket, every frame parsed with
 * the shared frame contract and kept, so a step can wait for the frame it expects.
 */
import WebSocket from "ws";
import { WebSocketFrame } from "@todo/contracts/frames";
import { SmokeFailure } from "./smoke-api";

export function webSocketUrl(baseUrl: string, token: string): string {
  const url = new URL("/ws", baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("token", token);
  return url.toString();
}

export class FrameInbox {
  private readonly frames: WebSocketFrame[] = [];
  private readonly rejected: string[] = [];
  private waiters: Array<() => void> = [];
  private closedBecause: string | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        this.rejected.push(`not JSON: ${data.toString().slice(0, 100)}`);
        return this.wake();
      }
      const frame = WebSocketFrame.safeParse(parsed);
      if (frame.success) this.frames.push(frame.data);
      else this.rejected.push(`${JSON.stringify(parsed).slice(0, 120)} (${frame.error.issues[0]?.path.join(".")}: ${frame.error.issues[0]?.message})`);
      this.wake();
    });
    socket.on("error", (err) => {
      this.closedBecause = `connection error: ${err.message}`;
      this.wake();
    });
    socket.on("close", (code, reason) => {
      this.closedBecause = `closed by the server (${code}${reason.length ? ` ${reason.toString()}` : ""})`;
      this.wake();
    });
  }

  static async open(url: string, timeoutMs: number): Promise<FrameInbox> {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    // Listen before the handshake completes: a frame may arrive in the same packet as the upgrade.
    const inbox = new FrameInbox(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("unexpected-response", (_req, res) => reject(new SmokeFailure(`GET /ws: upgrade refused with HTTP ${res.statusCode}`)));
      socket.once("error", (err) => reject(new SmokeFailure(`GET /ws: ${err.message}`)));
    });
    return inbox;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** The first frame (received so far or later) that `matches`; fails after `timeoutMs`. */
  async waitFor<T extends WebSocketFrame>(what: string, matches: (f: WebSocketFrame) => f is T, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(matches);
      if (found) return found;
      const left = deadline - Date.now();
      if (this.closedBecause || left <= 0) {
        const seen = this.frames.map((f) => f.type).join(", ") || "none";
        const bad = this.rejected.length ? `; frames off the contract: ${this.rejected.slice(0, 3).join(" | ")}` : "";
        throw new SmokeFailure(`no ${what} frame ${this.closedBecause ?? `within ${timeoutMs} ms`} (frames seen: ${seen}${bad})`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.removeAllListeners("close");
    this.socket.on("error", () => undefined); // a late error while closing is of no interest
    this.socket.close();
  }
}
