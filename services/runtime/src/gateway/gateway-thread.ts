import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { Logger } from "../../../shared/src/telemetry/logger";
import type { AppId } from "../../../shared/src/topology";
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
}

/** What the worker is given (structured-cloned). */
export interface GatewayWorkerData {
  port: number;
  host?: string;
  metricsPort?: number;
  services: Partial<Record<AppId, string>>;
  logLevel: string;
}

export type ToWorker = { type: "readiness"; id: number; report: ReadinessReport } | { type: "stop" };
export type FromWorker =
  | { type: "listening"; port: number; url: string; metricsUrl?: string }
  | { type: "failed"; message: string; code?: string }
  | { type: "readiness"; id: number }
  | { type: "stopped" };

const compiled = !__filename.endsWith(".ts");

/**
 * The gateway on its own thread: proxying cost a third of create throughput when it shared one event
 * loop with every local sidecar and the broker (issue 15). A worker thread rather than a child process:
 * it dies with the runtime even on SIGKILL, so nothing is left listening behind.
 */
export function startGatewayThread(opts: GatewayThreadOptions): Promise<RunningGateway> {
  const data: GatewayWorkerData = { port: opts.port, host: opts.host, metricsPort: opts.metricsPort, services: opts.services, logLevel: opts.log.level };
  const worker = compiled ? new Worker(join(__dirname, "gateway-worker.js"), { workerData: data }) : new Worker(tsxBootstrap(join(__dirname, "gateway-worker.ts")), { eval: true, workerData: data });
  let stopped: (() => void) | undefined;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));

  return new Promise<RunningGateway>((resolve, reject) => {
    worker.on("error", (err) => {
      opts.log.error({ err }, "gateway thread failed");
      reject(err);
    });
    worker.once("exit", (code) => reject(new Error(`gateway thread exited (${code}) before listening`)));
    worker.on("message", (msg: FromWorker) => {
      if (msg.type === "listening") {
        resolve({
          port: msg.port,
          url: msg.url,
          ...(msg.metricsUrl ? { metricsUrl: msg.metricsUrl } : {}),
          stop: async () => {
            const done = new Promise<void>((r) => (stopped = r));
            worker.postMessage({ type: "stop" } satisfies ToWorker);
            // An exit before "stopped" (a crash) also means nothing listens any more.
            await Promise.race([done, exited]);
            await worker.terminate();
          },
        });
      } else if (msg.type === "failed") {
        // Rebuilt by hand: a cloned Error loses `code` (EADDRINUSE when the port is taken).
        reject(Object.assign(new Error(msg.message), msg.code ? { code: msg.code } : {}));
      } else if (msg.type === "readiness") {
        opts
          .readiness()
          .catch((err: Error): ReadinessReport => ({ ready: false, checks: { runtime: err.message } }))
          .then((report) => worker.postMessage({ type: "readiness", id: msg.id, report } satisfies ToWorker));
      } else if (msg.type === "stopped") {
        stopped?.();
      }
    });
  });
}

/**
 * Under tsx the worker must load TypeScript, but Node 20 does not run `--import` hooks in workers
 * (ERR_UNKNOWN_FILE_EXTENSION): the worker registers tsx's CommonJS hook itself first.
 */
function tsxBootstrap(file: string): string {
  return `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(file)});`;
}
