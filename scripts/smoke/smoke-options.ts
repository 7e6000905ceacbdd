import { z } from "zod";

/** `npm run smoke -- [base-url] [--ready-timeout=<s>] [--step-timeout=<s>]` */
export const SmokeOptions = z.strictObject({
  baseUrl: z
    .url({ protocol: /^https?$/, error: "base-url must be an http:// or https:// URL" })
    .transform((u) => u.replace(/\/+$/, "")),
  /** How long the stack may take to answer /readyz 200 (a fresh deploy is still starting). */
  readyTimeoutMs: z.number().int().positive(),
  /** How long each live step (a frame, the next occurrence) may take. */
  stepTimeoutMs: z.number().int().positive(),
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
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg} (use --ready-timeout=<s> or --step-timeout=<s>)`);
    else positional.push(arg);
  }
  const unknown = Object.keys(flags).filter((f) => f !== "ready-timeout" && f !== "step-timeout");
  if (unknown.length) throw new Error(`unknown option --${unknown[0]}`);
  if (positional.length > 1) throw new Error(`expected one base URL, got: ${positional.join(" ")}`);
  const result = SmokeOptions.safeParse({
    baseUrl: positional[0] ?? process.env.SMOKE_BASE_URL ?? "http://localhost:8080",
    readyTimeoutMs: seconds("--ready-timeout").parse(flags["ready-timeout"] ?? 180),
    stepTimeoutMs: seconds("--step-timeout").parse(flags["step-timeout"] ?? 10),
  });
  if (!result.success) throw new Error(result.error.issues.map((i) => i.message).join("; "));
  return result.data;
}
