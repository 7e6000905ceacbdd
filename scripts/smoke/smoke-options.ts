import { z } from "zod";

/** `npm run smoke -- [base-url] [--ready-timeout=<s>] [--step-timeout=<s>] [--ca-file=<pem>]` */
export const SmokeOptions = z.strictObject({
  baseUrl: z
    .url({ protocol: /^https?$/, error: "base-url must be an http:// or https:// URL" })
    .transform((u) => u.replace(/\/+$/, "")),
  /** How long the stack may take to answer /readyz 200 (a fresh deploy is still starting). */
  readyTimeoutMs: z.number().int().positive(),
  /** How long each live step (a frame, the next occurrence) may take. */
  stepTimeoutMs: z.number().int().positive(),
  /**
   * PEM bundle trusted IN ADDITION to Node's CAs (e.g. Let's Encrypt's staging roots for a first
   * deploy with `acme.issuer: staging`). Node reads extra CAs only at start (NODE_EXTRA_CA_CERTS), so
   * scripts/smoke.ts re-runs itself with that variable set; setting NODE_EXTRA_CA_CERTS directly works too.
   */
  caFile: z.string().min(1).optional(),
});
export type SmokeOptions = z.infer<typeof SmokeOptions>;

const seconds = (flag: string) =>
  z.coerce.number({ error: `${flag} must be a number of seconds` }).positive(`${flag} must be positive`).transform((s) => Math.round(s * 1000));

export function parseSmokeArgs(argv: readonly string[]): SmokeOptions {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (const arg of argv) {
    const flag = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (flag) flags[flag[1]] = flag[2];
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg} (use --ready-timeout=<s>, --step-timeout=<s> or --ca-file=<pem>)`);
    else positional.push(arg);
  }
  const unknown = Object.keys(flags).filter((f) => !["ready-timeout", "step-timeout", "ca-file"].includes(f));
  if (unknown.length) throw new Error(`unknown option --${unknown[0]}`);
  if (positional.length > 1) throw new Error(`expected one base URL, got: ${positional.join(" ")}`);
  const result = SmokeOptions.safeParse({
    baseUrl: positional[0] ?? process.env.SMOKE_BASE_URL ?? "http://localhost:8080",
    readyTimeoutMs: seconds("--ready-timeout").parse(flags["ready-timeout"] ?? 180),
    stepTimeoutMs: seconds("--step-timeout").parse(flags["step-timeout"] ?? 10),
    ...(flags["ca-file"] !== undefined ? { caFile: flags["ca-file"] } : {}),
  });
  if (!result.success) throw new Error(result.error.issues.map((i) => i.message).join("; "));
  return result.data;
}
