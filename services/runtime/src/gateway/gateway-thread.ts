import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { Logger } from "../../../shared/src/telemetry/logger";
import type { AppId } from "@todo/contracts/topology";
import type { RunningGateway } from "./gateway";
import type { ReadinessReport } from "./readiness";

export interface GatewayThreadOptions {
  port: number;
  host?: string;
  metricsPort?: number;
  /** Fixed up front (a Service's address), so the worker gets a copy instead of a callback. */
  services: Partial<Record<AppId, string>>;
  /** Runs on the calling thread: the checks use the runtime's sidecars and processes. */
  readiness: () => Promise<ReadinessReport>;
  log: Logger;
  /** How long stop() lets requests in flight finish (default 10 s). */
  drainMs?: number;
}

export interface GatewayThread extends RunningGateway {
  /** How many times the thread was restarted after it died. */
  readonly restarts: number;
  /** Ends the thread as a crash would (no drain); its supervisor restarts it, like `LocalRuntime.kill`. */
  crash(): Promise<void>;
}

/** What the worker is given (structured-cloned). */
export interface GatewayWorkerData {
  port: number;
  host?: string;
  metricsPort?: number;
  services: Partial<Record<AppId, string>>;
  logLevel: string;
  drainMs?: number;
}

export type ToWorker = { type: "readiness"; id: number; report: ReadinessReport } | { type: "stop" };
export type FromWorker =
  | { type: "listening"; port: number; url: string; metricsUrl?: string }
  | { type: "failed"; message: string; code?: string }
  | { type: "readiness"; id: number }
  | { type: "stopped" };

const compiled = !__filename.endsWith(".ts");
/** Like a crash-looping container: quick first restarts, then at most one every 5 s. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;
/** A thread that stayed up this long is healthy again: its next crash restarts quickly. */
const STABLE_AFTER_MS = 10_000;
/** After the drain, how long a stopping worker may take to say it has stopped before it is terminated. */
const STOP_GRACE_MS = 2000;

interface Listening {
  worker: Worker;
  address: Extract<FromWorker, { type: "listening" }>;
  stopped: Promise<void>;
  exited: Promise<number>;
}

/**
 * The gateway on its own thread: proxying shared one event loop with every local sidecar and the broker
 * (issue 15). A worker thread rather than a child process: it dies with the runtime even on SIGKILL, so
 * nothing is left listening behind. The thread is supervised: if it dies, it is started again on the same
 * ports (with backoff, each death logged at error level), as the service processes are.
 */
export async function startGatewayThread(opts: GatewayThreadOptions): Promise<GatewayThread> {
  const spawn = (port: number, metricsPort: number | undefined): Promise<Listening> => {
    const data: GatewayWorkerData = { port, host: opts.host, metricsPort, services: opts.services, logLevel: opts.log.level, drainMs: opts.drainMs };
    const worker = compiled
      ? new Worker(join(__dirname, "gateway-worker.js"), { workerData: data })
      : new Worker(tsxBootstrap(join(__dirname, "gateway-worker.ts")), { eval: true, workerData: data });
    const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
    let stoppedSignal: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stoppedSignal = resolve));
    worker.on("error", (err) => opts.log.error({ err }, "gateway thread failed"));
    worker.on("message", (msg: FromWorker) => {
      if (msg.type === "readiness") {
        opts
          .readiness()
          .catch((err: Error): ReadinessReport => ({ ready: false, checks: { runtime: err.message } }))
          .then((report) => worker.postMessage({ type: "readiness", id: msg.id, report } satisfies ToWorker));
      } else if (msg.type === "stopped") stoppedSignal();
    });
    return new Promise<Listening>((resolve, reject) => {
      void exited.then((code) => reject(new Error(`gateway thread exited (${code}) before listening`)));
      worker.on("message", (msg: FromWorker) => {
        if (msg.type === "listening") resolve({ worker, address: msg, stopped, exited });
        // Rebuilt by hand: a cloned Error loses `code` (EADDRINUSE when the port is taken).
        else if (msg.type === "failed") reject(Object.assign(new Error(msg.message), msg.code ? { code: msg.code } : {}));
      });
    });
  };

  let current = await spawn(opts.port, opts.metricsPort);
  const { port, url, metricsUrl } = current.address;
  // Restarts bind the ports the first start got (a port-0 start keeps its port, like a Service address).
  const metricsPort = metricsUrl ? Number(new URL(metricsUrl).port) : undefined;
  let stopping = false;
  let restarts = 0;
  let backoffAttempt = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  // A restart under way when stop() is called: awaited there, so nothing binds the ports after stop.
  let restarting: Promise<unknown> | undefined;

  const restartAfterDeath = (code: number, startedAt: number) => {
    if (stopping) return;
    if (Date.now() - startedAt > STABLE_AFTER_MS) backoffAttempt = 0;
    const restartInMs = Math.min(FIRST_BACKOFF_MS * 2 ** backoffAttempt++, MAX_BACKOFF_MS);
    opts.log.error({ code, restartInMs, port }, "gateway thread died; restarting it");
    restartTimer = setTimeout(() => {
      if (stopping) return;
      const started = Date.now();
      restarting = spawn(port, metricsPort).then(
        (next) => {
          if (stopping) return next.worker.terminate().then(() => undefined);
          current = next;
          restarts++;
          void next.exited.then((c) => restartAfterDeath(c, started));
        },
        (err: Error) => {
          // e.g. another process took the port meanwhile: said loudly, and tried again after a pause.
          opts.log.error({ err: err.message, code: (err as NodeJS.ErrnoException).code, port }, "gateway thread did not start again");
          restartAfterDeath(-1, started);
        },
      );
    }, restartInMs);
  };
  const firstStart = Date.now();
  void current.exited.then((c) => restartAfterDeath(c, firstStart));

  return {
    port,
    url,
    ...(metricsUrl ? { metricsUrl } : {}),
    get restarts() {
      return restarts;
    },
    crash: async () => {
      await current.worker.terminate();
    },
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      await restarting;
      const { worker, stopped, exited } = current;
      worker.postMessage({ type: "stop" } satisfies ToWorker);
      // An exit before "stopped" (a crash) also means nothing listens any more.
      const grace = (opts.drainMs ?? 10_000) + STOP_GRACE_MS;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, exited, new Promise((r) => (timer = setTimeout(r, grace)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}

/**
 * Under tsx the worker must load TypeScript, but Node 20 does not run `--import` hooks in workers
 * (ERR_UNKNOWN_FILE_EXTENSION): the worker registers tsx's CommonJS hook itself first.
 */
function tsxBootstrap(file: string): string {
  return `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(file)});`;
}
