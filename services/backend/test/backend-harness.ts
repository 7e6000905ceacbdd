import pg from "pg";
import { loadConfig } from "../../shared/src/config";
import type { RunningService } from "../../shared/src/http/run-service";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { startRecordingSidecar, type RecordingSidecar } from "../../testing/recording-sidecar";
import { backendConfigSchema } from "../src/config";
import { start } from "../src/backend-service";

export const JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
}

/** A backend on a fresh database with a recording sidecar, plus a small HTTP client. */
export class BackendHarness {
  db!: TestDatabase;
  sidecar!: RecordingSidecar;
  service!: RunningService;
  sql!: pg.Pool;

  static async start(env: Record<string, string> = {}): Promise<BackendHarness> {
    const h = new BackendHarness();
    h.db = await createTestDatabase();
    h.sidecar = await startRecordingSidecar({ appId: "backend", secrets: { "jwt-secret": JWT_SECRET } });
    h.service = await h.startReplica(env);
    h.sql = new pg.Pool({ connectionString: h.db.url, max: 2 });
    return h;
  }

  /** Another backend process on the same database and sidecar (a second replica, or a restart). */
  startReplica(env: Record<string, string> = {}): Promise<RunningService> {
    const config = loadConfig(backendConfigSchema, {
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: this.db.url,
      DAPR_HOST: "127.0.0.1",
      DAPR_HTTP_PORT: String(this.sidecar.address.DAPR_HTTP_PORT),
      LOG_LEVEL: "silent",
      OUTBOX_POLL_MS: "100",
      ...env,
    });
    return start(config);
  }

  async stop(): Promise<void> {
    await this.service?.stop();
    await this.sql?.end();
    await this.sidecar?.stop();
    await this.db?.stop();
  }

  async request(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; base?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${opts.base ?? this.service.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* keep text */
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  private users = 0;

  /** Signs up a fresh user and returns its token and id. */
  async user(): Promise<{ token: string; id: string; email: string }> {
    const email = `user${++this.users}-${Date.now()}@example.com`;
    const res = await this.request("POST", "/api/auth/signup", { body: { email, password: "correct horse 1" } });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { token: res.body.token, id: res.body.user.id, email };
  }

  async createTask(token: string, body: Record<string, unknown>): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await this.request("POST", "/api/tasks", { token, body });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Waits until the sidecar has accepted at least n publishes. */
  async published(n: number, timeoutMs = 10_000) {
    await until(`${n} publishes`, () => this.sidecar.published.length >= n, timeoutMs);
    return this.sidecar.published;
  }
}

export async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
