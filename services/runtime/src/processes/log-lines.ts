const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO ", 40: "WARN ", 50: "ERROR", 60: "FATAL" };
const SKIP = new Set(["level", "time", "msg", "service", "pid", "hostname"]);

/**
 * One line of a child's output made readable: pino JSON becomes `time app LEVEL msg key=value…`, any
 * other text is passed through behind the app name.
 */
export function formatLogLine(appId: string, line: string): string {
  const name = appId.padEnd(18);
  let entry: Record<string, unknown> | undefined;
  if (line.startsWith("{")) {
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      entry = undefined;
    }
  }
  if (!entry) return `${name} ${line}`;
  const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : new Date().toISOString().slice(11, 23);
  const level = LEVELS[Number(entry.level)] ?? String(entry.level ?? "").padEnd(5);
  const extra = Object.entries(entry)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  return `${time} ${name} ${level} ${String(entry.msg ?? "")}${extra ? `  ${extra}` : ""}`;
}

/** The last lines a service wrote, kept for failure messages (a test that fails shows why). */
export class RecentLines {
  readonly #lines: string[] = [];
  constructor(private readonly max = 300) {}

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.max) this.#lines.shift();
  }

  all(): string[] {
    return [...this.#lines];
  }
}
