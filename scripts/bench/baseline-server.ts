/**
 * The benchmark's baseline: bare Express + pg, one INSERT per POST, no auth, no validation, no outbox,
 * no logging. Run as its own process (like the backend) by `npm run bench`; prints `{"port":N}` once
 * listening. Express and pg come from services/ (this repository installs them only there).
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Server } from "node:http";

interface Req {
  body: { title: string; description: string; priority: string; tags: string[] };
}
interface Res {
  status(code: number): Res;
  json(body: unknown): void;
}
interface ExpressApp {
  use(handler: unknown): void;
  post(path: string | string[], handler: (req: Req, res: Res) => Promise<void>): void;
  listen(port: number, host: string, cb: () => void): Server;
}
interface Pool {
  query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

const fromServices = createRequire(join(__dirname, "../../services/package.json"));
const express = fromServices("express") as { (): ExpressApp; json(opts?: unknown): unknown };
const pg = fromServices("pg") as { Pool: new (opts: { connectionString: string; max: number }) => Pool };

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.POOL_MAX ?? 10) });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS bench_baseline;
    CREATE TABLE IF NOT EXISTS bench_baseline.tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title text NOT NULL, description text NOT NULL,
      priority text NOT NULL, tags text[] NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const app = express();
  app.use(express.json());
  // /api/tasks as well: the path a gateway in front of it forwards unchanged
  app.post(["/tasks", "/api/tasks"], async (req, res) => {
    const { title, description, priority, tags } = req.body;
    const { rows } = await pool.query("INSERT INTO bench_baseline.tasks (title, description, priority, tags) VALUES ($1, $2, $3, $4) RETURNING *", [title, description, priority, tags]);
    res.status(201).json(rows[0]);
  });
  const server = app.listen(0, "127.0.0.1", () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
  });
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
