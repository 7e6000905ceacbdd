import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  json: unknown;
  at: number;
}

export type Reply = { status?: number; body?: unknown; headers?: Record<string, string> };

/** A tiny app standing in for a service: records every request and answers with `reply`. */
export interface TestApp {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  reply: (req: ReceivedRequest) => Reply | Promise<Reply>;
  close(): Promise<void>;
}

export async function startTestApp(reply: TestApp["reply"] = () => ({ status: 200, body: { status: "SUCCESS" } }), port = 0): Promise<TestApp> {
  const app: TestApp = { url: "", port: 0, requests: [], reply, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const received: ReceivedRequest = { method: req.method!, path: req.url!, headers: req.headers, body, json, at: Date.now() };
      app.requests.push(received);
      const r = await app.reply(received);
      res.writeHead(r.status ?? 200, { ...(r.body !== undefined ? { "content-type": "application/json" } : {}), ...r.headers });
      res.end(r.body === undefined ? undefined : typeof r.body === "string" ? r.body : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  app.port = (server.address() as AddressInfo).port;
  app.url = `http://127.0.0.1:${app.port}`;
  app.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return app;
}

/** Polls until `check` returns true (tests wait for asynchronous delivery this way). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
