import { z } from "zod";
import type { Logger } from "../telemetry/logger";

/**
 * `STOP_WITH_PARENT=1` (set by the local runtime for the services it supervises): when the process
 * that started this one dies — SIGKILL, OOM, a closed terminal — this service shuts down as on SIGTERM
 * instead of running on unsupervised, holding its port and database connections. The runtime starts
 * services in process groups of their own (so Ctrl-C reaches only the runtime), which is why nothing
 * else would stop them. A Kubernetes pod never sets it.
 */
const StopWithParentEnv = z.object({ STOP_WITH_PARENT: z.enum(["0", "1"]).default("0") });

/** Polls the parent once a second (an orphan is re-parented, so process.ppid changes). */
export function stopWithParent(log: Logger, env: NodeJS.ProcessEnv = process.env, everyMs = 1000): void {
  const parsed = StopWithParentEnv.safeParse(env);
  if (!parsed.success) throw new Error(`STOP_WITH_PARENT: expected "0" or "1", got ${JSON.stringify(env.STOP_WITH_PARENT)}`);
  if (parsed.data.STOP_WITH_PARENT !== "1") return;
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    log.warn({ parent }, "the process that started this service is gone: shutting down");
    process.kill(process.pid, "SIGTERM");
  }, everyMs);
  watch.unref();
}
