import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { formatLogLine, RecentLines } from "./log-lines";

export interface ServiceProcessOptions {
  appId: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Receives each readable output line (already prefixed with the app-id). */
  output: (line: string) => void;
  /** Told when the supervisor restarts a crashed process. */
  onCrash?: (info: { appId: string; code: number | null; signal: NodeJS.Signals | null; restartInMs: number }) => void;
}

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;
/** A process that stayed up this long is healthy again: its next crash restarts quickly. */
const STABLE_AFTER_MS = 30_000;

/**
 * One service as its own OS process (like a pod), under a supervisor: a process that exits without
 * being asked to is restarted with exponential backoff, like a crash-looping container.
 */
export class ServiceProcess {
  readonly logs = new RecentLines();
  restarts = 0;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #wanted = false;
  #backoffAttempt = 0;
  #restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ServiceProcessOptions) {}

  get pid(): number | undefined {
    return this.#child?.exitCode === null && this.#child.signalCode === null ? this.#child.pid : undefined;
  }

  start(): void {
    this.#wanted = true;
    this.#spawn();
  }

  /** SIGKILL, as a crash: the supervisor brings it back. Resolves when the old process is gone. */
  async kill(): Promise<void> {
    this.#child?.kill("SIGKILL");
    await this.#exited;
  }

  /** Graceful stop (SIGTERM) and an immediate new start. */
  async restart(timeoutMs = 15_000): Promise<void> {
    await this.stop(timeoutMs);
    this.start();
  }

  /** SIGTERM, then SIGKILL after the timeout; no restart. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.#wanted = false;
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await this.#exited;
    clearTimeout(killer);
  }

  #spawn(): void {
    const started = Date.now();
    // Own process group: Ctrl-C in the terminal reaches only the runtime, which then stops the services
    // in order (gateway first, database last) instead of every process at once.
    const child = spawn(this.opts.command, this.opts.args, { cwd: this.opts.cwd, env: this.opts.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    this.#child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on("line", (line) => {
        const text = formatLogLine(this.opts.appId, line);
        this.logs.push(text);
        this.opts.output(text);
      });
    }
    this.#exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        resolve();
        if (!this.#wanted || this.#child !== child) return;
        if (Date.now() - started > STABLE_AFTER_MS) this.#backoffAttempt = 0;
        const restartInMs = Math.min(FIRST_BACKOFF_MS * 2 ** this.#backoffAttempt++, MAX_BACKOFF_MS);
        this.opts.onCrash?.({ appId: this.opts.appId, code, signal, restartInMs });
        this.#restartTimer = setTimeout(() => {
          if (!this.#wanted) return;
          this.restarts++;
          this.#spawn();
        }, restartInMs);
      });
    });
    child.once("error", (err) => this.opts.output(formatLogLine(this.opts.appId, `failed to start: ${err.message}`)));
  }
}
