// `npm run dead-letters -- list [--limit N]` and `npm run dead-letters -- replay --id 12 [--id 13…] | --all`
//
// Talks to the event-processor's operator routes (/internal/dead-letters…) with an operator token it
// mints from the platform's JWT secret:
// - against `npm start` (default): the URL from DATA_DIR/runtime.json, the secret from DATA_DIR/jwt-secret
//   (DATA_DIR defaults to services/.data, like the runtime);
// - against a deployed stack: `--url http://127.0.0.1:3001` after
//   `kubectl -n todo port-forward svc/event-processor 3001:3001`, and
//   `JWT_SECRET=$(kubectl -n todo get secret jwt-secret -o jsonpath='{.data.jwt-secret}' | base64 -d)`.
// Replay is idempotent (see docs/RUNBOOKS.md, "Dead letters"). Exit code 1 when a replay failed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { signOperatorToken } from "#services/operator-token";

const Args = z.discriminatedUnion("command", [
  z.object({ command: z.literal("list"), limit: z.coerce.number().int().min(1).max(500).default(50), url: z.url().optional() }),
  z.object({
    command: z.literal("replay"),
    ids: z.array(z.coerce.number().int().positive()).max(500).default([]),
    all: z.boolean().default(false),
    url: z.url().optional(),
  }),
]);

function parseArgs(argv: string[]): z.infer<typeof Args> {
  const [command, ...rest] = argv;
  const raw: Record<string, unknown> = { command, ids: [] as string[] };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "--all") raw.all = true;
    else if (flag === "--id") (raw.ids as string[]).push(...String(rest[++i] ?? "").split(","));
    else if (flag === "--limit") raw.limit = rest[++i];
    else if (flag === "--url") raw.url = rest[++i];
    else throw new Error(`unknown argument ${flag}`);
  }
  if (command === "list") delete raw.ids;
  const parsed = Args.safeParse(raw);
  if (!parsed.success) throw new Error(`usage: dead-letters list [--limit N] [--url U] | replay (--id N… | --all) [--url U]\n${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")}`);
  if (parsed.data.command === "replay" && parsed.data.ids.length === 0 && !parsed.data.all) throw new Error("replay needs --id N (repeatable) or --all");
  return parsed.data;
}

function target(url: string | undefined): { url: string; secret: string } {
  const dataDir = process.env.DATA_DIR ?? join(__dirname, "..", "services", ".data");
  const secretFile = join(dataDir, "jwt-secret");
  const secret = process.env.JWT_SECRET || (existsSync(secretFile) ? readFileSync(secretFile, "utf8").trim() : "");
  if (!secret) throw new Error("no JWT secret: set JWT_SECRET, or run against the npm start data directory (DATA_DIR)");
  if (url) return { url: url.replace(/\/$/, ""), secret };
  const file = join(dataDir, "runtime.json");
  if (!existsSync(file)) throw new Error(`${file} not found: is npm start running (with this DATA_DIR)? Or pass --url`);
  const found = z.object({ services: z.object({ "event-processor": z.url() }) }).parse(JSON.parse(readFileSync(file, "utf8")));
  return { url: found.services["event-processor"], secret };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const { url, secret } = target(args.url);
  const headers = { authorization: `Bearer ${await signOperatorToken(secret)}`, "content-type": "application/json" };
  if (args.command === "list") {
    const res = await fetch(`${url}/internal/dead-letters?limit=${args.limit}`, { headers });
    if (!res.ok) throw new Error(`list: HTTP ${res.status} ${await res.text()}`);
    const { items } = (await res.json()) as { items: Array<{ id: number; eventId: string | null; topic: string; type: string | null; receivedAt: string; replayedAt: string | null; replayCount: number }> };
    for (const d of items) console.log([d.id, d.receivedAt, d.topic, d.type ?? "-", d.eventId ?? "-", d.replayedAt ? `replayed ${d.replayedAt} (${d.replayCount}×)` : "open"].join("\t"));
    console.log(`${items.length} dead letter(s), ${items.filter((d) => !d.replayedAt).length} open`);
    return 0;
  }
  const res = await fetch(`${url}/internal/dead-letters/replay`, { method: "POST", headers, body: JSON.stringify(args.all ? { all: true } : { ids: args.ids }) });
  if (!res.ok) throw new Error(`replay: HTTP ${res.status} ${await res.text()}`);
  const { results } = (await res.json()) as { results: Array<{ id: number; eventId: string | null; outcome: string; reason?: string }> };
  for (const r of results) console.log([r.id, r.eventId ?? "-", r.outcome, r.reason ?? ""].join("\t").trimEnd());
  console.log(`${results.filter((r) => r.outcome === "replayed").length} replayed, ${results.filter((r) => r.outcome === "skipped").length} skipped, ${results.filter((r) => r.outcome === "failed").length} failed`);
  return results.some((r) => r.outcome === "failed") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(2);
  },
);
