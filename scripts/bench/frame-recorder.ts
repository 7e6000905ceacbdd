import WebSocket from "ws";

export interface RecordedFrame {
  type: string;
  /** performance.now() when the frame arrived. */
  at: number;
  data: Record<string, unknown> & { task?: { id: string; title: string } };
}

/**
 * An open /ws socket that timestamps every frame and lets a caller wait for the first frame that
 * matches (already arrived or still to come).
 */
export class FrameRecorder {
  readonly frames: RecordedFrame[] = [];
  #waiters: Array<{ match: (f: RecordedFrame) => boolean; resolve: (f: RecordedFrame) => void }> = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (raw) => {
      const at = performance.now();
      let parsed: { type?: unknown; data?: unknown };
      try {
        parsed = JSON.parse(String(raw)) as typeof parsed;
      } catch {
        return;
      }
      if (typeof parsed.type !== "string") return;
      const frame: RecordedFrame = { type: parsed.type, at, data: (parsed.data ?? {}) as RecordedFrame["data"] };
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  static async open(baseUrl: string, token: string): Promise<FrameRecorder> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws`, ["bearer", token]);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new FrameRecorder(socket);
  }

  /** The first frame (past or future) that matches; rejects after timeoutMs. */
  waitFor(match: (f: RecordedFrame) => boolean, timeoutMs: number, what: string): Promise<RecordedFrame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} frame within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
