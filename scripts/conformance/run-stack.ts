// The conformance stack: the six services with REAL daprd sidecars (Dapr CLI slim install: ~/.dapr/bin)
// over a Redis at localhost:6379, with the resources rendered from the definitions the Pulumi program
// deploys. The runtime's gateway, embedded PostgreSQL and service supervision are reused; only the
// sidecars are real. Runs until SIGTERM/SIGINT; logs go to $LOG_DIR (default .conformance/logs).
//
//   tsx scripts/conformance/run-stack.ts        → prints "conformance stack ready on http://127.0.0.1:8080"
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { appHealthAnnotations } from "@todo/contracts/dapr-resources";
import { apps, type AppId } from "@todo/contracts/topology";
import { startLocalRuntime } from "#services/local-runtime";
import { selfHostedResources, toYaml } from "./self-hosted-resources";

const root = join(__dirname, "..", "..");
const daprBin = process.env.DAPR_BIN_DIR ?? join(homedir(), ".dapr", "bin");
const workDir = join(root, ".conformance");
const logDir = process.env.LOG_DIR ?? join(workDir, "logs");
const port = Number(process.env.PORT ?? 8080);
const jwtSecret = process.env.JWT_SECRET ?? "conformance-jwt-secret-of-at-least-32-chars";
const SCHEDULER_PORT = 50006;

const children: ChildProcess[] = [];
function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const log = createWriteStream(join(logDir, `${name}.log`));
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  child.once("exit", (code, signal) => log.write(`\n${name} exited (${signal ?? code})\n`));
  children.push(child);
  return child;
}

/** The daprd flags each pod's annotations turn into (dapr v1.18.3 pkg/injector/patcher/sidecar_container.go). */
function healthFlags(): string[] {
  const a = appHealthAnnotations();
  return [
    "--enable-app-health-check",
    "--app-health-check-path", a["dapr.io/app-health-check-path"]!,
    "--app-health-probe-interval", a["dapr.io/app-health-probe-interval"]!,
    "--app-health-probe-timeout", a["dapr.io/app-health-probe-timeout"]!,
    "--app-health-threshold", a["dapr.io/app-health-threshold"]!,
  ];
}

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  const resourcesDir = join(workDir, "resources");
  mkdirSync(resourcesDir, { recursive: true });
  const { resources, configuration } = selfHostedResources();
  writeFileSync(join(resourcesDir, "resources.yaml"), toYaml(resources));
  const configFile = join(workDir, "configuration.yaml");
  writeFileSync(configFile, toYaml([configuration]));

  // Slim mode installs the scheduler binary but does not start it; the Jobs API needs it.
  run("scheduler", join(daprBin, "scheduler"), ["--port", String(SCHEDULER_PORT), "--etcd-data-dir", join(workDir, "scheduler-data"), "--healthz-port", "58080", "--metrics-port", "59090"]);

  const daprApps = apps.filter((a) => a.dapr);
  const httpPorts: Partial<Record<AppId, number>> = {};
  daprApps.forEach((a, i) => {
    const httpPort = 3500 + i;
    httpPorts[a.id] = httpPort;
    // secretstores.local.env reads the variable named like the secret (components-contrib v1.18.4).
    const env = { ...process.env, "jwt-secret": jwtSecret, POD_NAME: `${a.id}-0` };
    run(`daprd-${a.id}`, join(daprBin, "daprd"), [
      "--app-id", a.id,
      "--app-port", String(a.port),
      "--dapr-http-port", String(httpPort),
      "--dapr-grpc-port", String(50101 + i),
      "--metrics-port", String(9190 + i),
      "--resources-path", resourcesDir,
      "--config", configFile,
      "--scheduler-host-address", `127.0.0.1:${SCHEDULER_PORT}`,
      "--log-level", "info",
      ...healthFlags(),
    ], env);
  });

  const runtime = await startLocalRuntime({
    port,
    host: "127.0.0.1",
    dataDir: join(workDir, "data"),
    externalSidecars: httpPorts,
    env: { JWT_SECRET: jwtSecret },
    logLevel: "info",
    output: (line) => process.stdout.write(`${line}\n`),
    readyTimeoutMs: 240_000,
  });
  process.stdout.write(`conformance stack ready on ${runtime.url}\n`);
  const stop = async () => {
    await runtime.stop();
    for (const c of children) c.kill("SIGTERM");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

main().catch((err: unknown) => {
  console.error("conformance stack failed:", err);
  for (const c of children) c.kill("SIGTERM");
  process.exit(1);
});
