import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type Logger } from "../../shared/src/telemetry/logger";
import { app as appDefinition, type AppId } from "@todo/contracts/topology";
import { LocalDapr, type LocalDaprOptions } from "./dapr/local-dapr";
import { PostgresMessageStore } from "./dapr/pubsub/message-store";
import { startEmbeddedDatabase, type RunningDatabase } from "./database/embedded-database";
import { reservePorts } from "./ports";
import { persistedSecret } from "./database/local-secrets";
import type { RunningGateway } from "./gateway/gateway";
import { startGatewayThread } from "./gateway/gateway-thread";
import { databaseCheck, httpCheck, runChecks, type ReadinessCheck, type ReadinessReport } from "./gateway/readiness";
import { ServiceProcess } from "./processes/service-process";
import { discoverServices, serviceCommand } from "./service-entry";

export interface LocalRuntimeOptions {
  /** Port of the one public endpoint; 0 = any free port. */
  port: number;
  /** Interface of the public port; default loopback. */
  host?: string;
  /** Loopback port for `GET /metrics/<app-id>`; default any free one. */
  metricsPort?: number;
  /** Use this PostgreSQL instead of starting the embedded one. */
  databaseUrl?: string;
  /**
   * Where the embedded PostgreSQL and the generated secrets live. Given → kept across runs (`npm
   * start`); absent → a temporary directory removed at stop (tests).
   */
  dataDir?: string;
  /** Default: every app in topology.ts whose `services/<id>/src/main.ts` exists. */
  services?: AppId[];
  /** Extra environment for every service (and the secret store). */
  env?: Record<string, string>;
  logLevel?: string;
  /** Where the services' readable log lines go; default stdout. "silent" keeps them only in memory. */
  output?: ((line: string) => void) | "silent";
  /**
   * Real daprd sidecars instead of the local ones (the conformance workflow): the DAPR_HTTP_PORT each
   * app's sidecar listens on. Those apps listen on their topology port, which their daprd was told
   * (`--app-port`).
   */
  externalSidecars?: Partial<Record<AppId, number>>;
  /** Sidecar tuning for tests (delivery policy, extra subscriptions…). */
  dapr?: Omit<LocalDaprOptions, "env" | "log">;
  /** Wait until /readyz would answer 200 before resolving (default true; throws after readyTimeoutMs). */
  waitForReady?: boolean;
  readyTimeoutMs?: number;
}

/** The file in DATA_DIR naming a running runtime's service URLs. */
export const RUNTIME_FILE = "runtime.json";

export interface LocalRuntime {
  /** The public endpoint (like the cluster Ingress). */
  url: string;
  port: number;
  /** Loopback-only: `${metricsUrl}/metrics/<app-id>` is what Prometheus would scrape from that pod. */
  metricsUrl: string;
  databaseUrl: string;
  dapr: LocalDapr;
  services: AppId[];
  serviceUrl(appId: AppId): string | undefined;
  /** SIGKILL one service (a crash); its supervisor restarts it. */
  kill(appId: AppId): Promise<void>;
  /** Graceful stop and start of one service. */
  restart(appId: AppId): Promise<void>;
  /** Stops one service and keeps it down (a pod gone until it is rescheduled) until `startService`. */
  stopService(appId: AppId): Promise<void>;
  startService(appId: AppId): void;
  readiness(): Promise<ReadinessReport>;
  waitReady(timeoutMs?: number): Promise<void>;
  /** The last log lines of one service. */
  logs(appId: AppId): string[];
  stop(): Promise<void>;
}

/**
 * Everything behind `npm start` on one machine: PostgreSQL, the local Dapr sidecars, every service as
 * its own supervised process, and the gateway. Used by `npm start`, the smoke test, the benchmark and
 * the end-to-end tests.
 */
export async function startLocalRuntime(opts: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log: Logger = createLogger("runtime", opts.logLevel ?? process.env.LOG_LEVEL ?? "info");
  const temporary = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "todo-runtime-"));
  const cleanups: Array<() => Promise<void> | void> = [];
  if (temporary) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        log.error({ err }, "error while stopping");
      }
    }
  };

  try {
    let database: RunningDatabase | undefined;
    if (!opts.databaseUrl) {
      database = await startEmbeddedDatabase({ dataDir, persistent: !temporary, log });
      cleanups.push(() => database!.stop());
    }
    const databaseUrl = opts.databaseUrl ?? database!.url;
    const jwtSecret = opts.env?.JWT_SECRET || process.env.JWT_SECRET || persistedSecret(dataDir, "jwt-secret");
    const env: Record<string, string | undefined> = { ...process.env, ...opts.env, JWT_SECRET: jwtSecret };

    // Accepted events survive a crash of the runtime: they wait in its PostgreSQL (schema dapr_local).
    const messageStore = opts.dapr?.messageStore ?? (await PostgresMessageStore.open(databaseUrl, log));
    const dapr = new LocalDapr({ ...opts.dapr, messageStore, env, log });
    cleanups.push(() => dapr.stop());

    const output = opts.output === "silent" ? () => undefined : (opts.output ?? ((line: string) => process.stdout.write(`${line}\n`)));
    const services = opts.services ?? discoverServices();
    const processes = new Map<AppId, ServiceProcess>();
    const urls = new Map<AppId, string>();
    cleanups.push(() => Promise.all([...processes.values()].map((p) => p.stop())).then(() => undefined));

    // Every port up front, distinct, and below the ephemeral range (./ports.ts): the sidecars' and the
    // gateway's port-0 listeners bound next can never be handed one of them. A service's port is kept
    // across restarts, like a Service's address in the cluster.
    const picked = await reservePorts(services.length + 1);
    const metricsPort = opts.metricsPort || picked[services.length]!;
    for (const [i, appId] of services.entries()) {
      const externalSidecar = opts.externalSidecars?.[appId];
      const port = externalSidecar !== undefined ? appDefinition(appId).port : picked[i]!;
      const appUrl = `http://127.0.0.1:${port}`;
      urls.set(appId, appUrl);
      const sidecar = !appDefinition(appId).dapr ? undefined : externalSidecar !== undefined ? { port: externalSidecar } : await dapr.addApp(appId, appUrl);
      const { command, args, cwd } = serviceCommand(appId);
      const proc = new ServiceProcess({
        appId,
        command,
        args,
        cwd,
        env: {
          ...env,
          NODE_ENV: env.NODE_ENV ?? "development",
          APP_ID: appId,
          // The service shuts itself down if this runtime dies without stopping it (a SIGKILL).
          STOP_WITH_PARENT: "1",
          PORT: String(port),
          HOST: "127.0.0.1",
          DATABASE_URL: databaseUrl,
          LOG_LEVEL: opts.logLevel ?? env.LOG_LEVEL ?? "info",
          ...(sidecar ? { DAPR_HOST: "127.0.0.1", DAPR_HTTP_PORT: String(sidecar.port) } : {}),
        },
        output,
        onCrash: (info) => log.warn(info, "service exited; restarting"),
      });
      processes.set(appId, proc);
      proc.start();
    }
    // What a killed runtime had accepted but not delivered goes out now (to the apps just registered).
    await dapr.broker.restore();

    const checks: Record<string, ReadinessCheck> = {
      database: databaseCheck(databaseUrl),
      sidecar: async () => {
        await Promise.all(dapr.sidecars().map((s) => httpCheck(() => `${s.url}/v1.0/healthz`)()));
      },
    };
    for (const appId of services) checks[appId] = httpCheck(() => (processes.get(appId)?.pid ? `${urls.get(appId)}/readyz` : undefined));
    const readiness = () => runChecks(checks);

    const gateway: RunningGateway = await startGatewayThread({ port: opts.port, host: opts.host ?? "127.0.0.1", metricsPort, services: Object.fromEntries(urls), readiness, log });
    // The gateway closes first so no new request reaches a stopping service.
    cleanups.push(() => gateway.stop());
    // Where operator tools (`npm run dead-letters`) find this runtime's services; no secret in it.
    const discovery = join(dataDir, RUNTIME_FILE);
    writeFileSync(discovery, `${JSON.stringify({ pid: process.pid, url: gateway.url, services: Object.fromEntries(urls) }, null, 2)}\n`, { mode: 0o600 });
    cleanups.push(() => rmSync(discovery, { force: true }));

    const waitReady = async (timeoutMs = opts.readyTimeoutMs ?? 120_000) => {
      const deadline = Date.now() + timeoutMs;
      let report = await readiness();
      while (!report.ready) {
        if (Date.now() > deadline) {
          const failing = Object.entries(report.checks).filter(([, r]) => r !== "ok");
          const recent = failing.flatMap(([name]) => (processes.get(name as AppId)?.logs.all() ?? []).slice(-15));
          throw new Error(`not ready after ${timeoutMs} ms: ${JSON.stringify(Object.fromEntries(failing))}\n${recent.join("\n")}`);
        }
        await new Promise((r) => setTimeout(r, 250));
        report = await readiness();
      }
    };

    const runtime: LocalRuntime = {
      url: gateway.url,
      port: gateway.port,
      metricsUrl: gateway.metricsUrl!,
      databaseUrl,
      dapr,
      services,
      serviceUrl: (appId) => urls.get(appId),
      kill: async (appId) => processes.get(appId)?.kill(),
      restart: async (appId) => processes.get(appId)?.restart(),
      stopService: async (appId) => processes.get(appId)?.stop(),
      startService: (appId) => processes.get(appId)?.start(),
      readiness,
      waitReady,
      logs: (appId) => processes.get(appId)?.logs.all() ?? [],
      stop: stopAll,
    };
    if (opts.waitForReady ?? true) await waitReady();
    return runtime;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
