/**
 * A live `/metrics` of our services' metric-emitting code, without a database or a sidecar: every
 * service's entry module is loaded into this process (each metric module registers into the shared
 * registry when the code that emits it is imported), then the shared library's own service app is
 * started on a free port and its `/metrics` read over HTTP. In one process the registry holds the
 * union of the five services' metrics, which is the set a dashboard may query.
 */
import { createRequire } from "node:module";
import { join } from "node:path";

const servicesDir = join(__dirname, "..", "..", "services");

/** The services whose metrics Prometheus scrapes (the frontend serves files and has no events). */
export const metricServices = [
  "backend/src/backend-service",
  "event-processor/src/event-processor-service",
  "reminder-scheduler/src/reminder-scheduler-service",
  "notification/src/notification-service",
  "websocket/src/websocket-service",
] as const;

interface RunningService {
  url: string;
  stop(): Promise<void>;
}
interface SharedLibrary {
  createLogger(service: string, level?: string): unknown;
  initMetrics(service: string): unknown;
  createServiceApp(opts: { log: unknown; readiness: Record<string, never>; routes: never[] }): unknown;
  listen(opts: { port: number; host?: string; log: unknown; handler: unknown }): Promise<RunningService>;
}

// Loaded by computed path: the services package has its own dependencies and tsconfig, so the root
// typecheck must not follow into it; tsx compiles the TypeScript at load time.
const loadModule = createRequire(__filename);
function load<T>(relative: string): T {
  return loadModule(join(servicesDir, relative)) as T;
}

export async function inProcessServiceMetrics(): Promise<string> {
  for (const entry of metricServices) load(entry);
  // the shared library has no catch-all index: each function from the module that defines it
  const shared: SharedLibrary = {
    ...load<Pick<SharedLibrary, "createLogger">>("shared/src/telemetry/logger"),
    ...load<Pick<SharedLibrary, "initMetrics">>("shared/src/telemetry/registry"),
    ...load<Pick<SharedLibrary, "createServiceApp">>("shared/src/http/service-app"),
    ...load<Pick<SharedLibrary, "listen">>("shared/src/http/run-service"),
  };
  const log = shared.createLogger("metrics-probe", "silent");
  shared.initMetrics("metrics-probe");
  const app = shared.createServiceApp({ log, readiness: {}, routes: [] });
  const running = await shared.listen({ port: 0, host: "127.0.0.1", log, handler: app });
  try {
    const res = await fetch(`${running.url}/metrics`);
    if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
    return await res.text();
  } finally {
    await running.stop();
  }
}
