/**
 * `npm run bench [-- --quick] [-- --log-level=<level>]`: the local runtime with its embedded PostgreSQL,
 * measured. Progress goes to stderr; the last line of stdout is one JSON object with every figure.
 * Only loopback is contacted; every phase is bounded in count and time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startLocalRuntime, type LocalRuntime } from "../services/runtime/src/local-runtime";
import type { AppId } from "../services/shared/src/topology";
import { signUpBenchUser } from "./bench/bench-api";
import { closedLoopLoad, type LoadResult } from "./bench/closed-loop-load";
import { measureEventPipeline } from "./bench/event-pipeline";
import { waitForOutboxDrained } from "./bench/outbox-drain";
import { measureReminderLateness } from "./bench/reminder-lateness";
import { residentMb, serviceProcesses } from "./bench/service-processes";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const logLevel = args.find((a) => a.startsWith("--log-level="))?.split("=")[1] ?? "info";
const plan = quick
  ? { loadMs: 3000, warmupMs: 1000, sequential: 30, sustained: 60, reminders: 50, reminderLeadMs: 3000 }
  : { loadMs: 10_000, warmupMs: 2000, sequential: 200, sustained: 400, reminders: 200, reminderLeadMs: 5000 };
const CONCURRENCY = 16;
const targets = { ratioToBaseline: 0.6, eventPipelineP99Ms: 50, reminderLatenessP99Ms: 1000, idleRssMbPerService: 120 };

const progress = (m: string) => process.stderr.write(`bench: ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The payload of every create, ours and baseline alike. */
const payload = (i: number) => ({ title: `bench task ${i}`, description: "d".repeat(200), priority: "medium", tags: ["bench", "load"] });

function rssOf(runtime: LocalRuntime): Record<string, number> {
  return Object.fromEntries(serviceProcesses(runtime.services).map((p) => [p.appId, residentMb(p.pid)]));
}

async function startBaseline(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "bench/baseline-server.ts")], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`baseline server exited (${code})`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function measureCreateTask(runtime: LocalRuntime) {
  const token = await signUpBenchUser(runtime.url);
  const common = { concurrency: CONCURRENCY, durationMs: plan.loadMs, warmupMs: plan.warmupMs, body: (i: number) => JSON.stringify(payload(i)), expectStatus: 201 };

  progress(`createTask baseline (bare Express + pg), concurrency ${CONCURRENCY}, ${plan.loadMs} ms`);
  const baseline = await startBaseline(runtime.databaseUrl);
  let baselineResult: LoadResult;
  try {
    baselineResult = await closedLoopLoad({ ...common, url: `${baseline.url}/tasks`, headers: { "content-type": "application/json" } });
  } finally {
    baseline.child.kill("SIGTERM");
  }
  await sleep(500);

  progress(`createTask ours (gateway → backend), concurrency ${CONCURRENCY}, ${plan.loadMs} ms`);
  const ours = await closedLoopLoad({ ...common, url: `${runtime.url}/api/tasks`, headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
  progress("createTask ours, straight to the backend's port (no gateway), for diagnosis");
  const direct = await closedLoopLoad({ ...common, url: `${runtime.serviceUrl("backend")}/api/tasks`, headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
  return {
    concurrency: CONCURRENCY,
    payloadBytes: Buffer.byteLength(JSON.stringify(payload(0))),
    ours,
    baseline: baselineResult,
    backendWithoutGateway: direct,
    ratioToBaseline: Math.round((ours.requestsPerSec / baselineResult.requestsPerSec) * 100) / 100,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  progress(`starting the local runtime (${quick ? "quick" : "full"} run, services at LOG_LEVEL=${logLevel})`);
  const runtime = await startLocalRuntime({ port: 0, output: "silent", logLevel, readyTimeoutMs: 150_000 });
  try {
    await sleep(quick ? 1500 : 5000);
    const idleRssMb = rssOf(runtime);
    progress(`idle RSS ${JSON.stringify(idleRssMb)}`);

    const createTask = await measureCreateTask(runtime);
    progress(`createTask ours ${createTask.ours.requestsPerSec}/s, baseline ${createTask.baseline.requestsPerSec}/s`);
    // The pipeline is measured on a quiet system: the relay first publishes what the load left behind.
    const outboxAfterLoad = await waitForOutboxDrained(runtime.databaseUrl, 120_000);
    progress(`outbox backlog after the load: ${outboxAfterLoad.backlog} rows, drained in ${outboxAfterLoad.drainMs} ms`);
    await runtime.dapr.idle();

    progress(`eventPipeline: ${plan.sequential} sequential completions, ${plan.sustained} at concurrency 8`);
    const eventPipeline = await measureEventPipeline(runtime.url, { sequential: plan.sequential, sustained: plan.sustained });

    progress(`reminderLateness: ${plan.reminders} reminders ${plan.reminderLeadMs} ms ahead`);
    const reminderLateness = await measureReminderLateness(runtime.url, { count: plan.reminders, leadMs: plan.reminderLeadMs });
    const rssAfterLoadMb = rssOf(runtime);

    const services = Object.keys(idleRssMb) as AppId[];
    const report = {
      mode: quick ? "quick" : "full",
      machine: { nproc: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` },
      serviceLogLevel: logLevel,
      createTask: { ...createTask, outboxAfterLoad },
      eventPipeline,
      reminderLateness: { ...reminderLateness, ...(quick ? { note: `quick run: ${plan.reminders} reminders instead of 200` } : {}) },
      idleRssMb,
      rssAfterLoadMb,
      targets,
      meetsTargets: {
        ratioToBaseline: createTask.ratioToBaseline >= targets.ratioToBaseline,
        eventPipelineP99: Math.max(eventPipeline.completeToFrame.p99Ms, eventPipeline.completeToNextOccurrence.p99Ms) <= targets.eventPipelineP99Ms,
        reminderLatenessP99: reminderLateness.fireLateness.p99Ms <= targets.reminderLatenessP99Ms,
        idleRss: services.every((s) => idleRssMb[s]! <= targets.idleRssMbPerService),
      },
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    progress("stopping the runtime");
    await runtime.stop();
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (err) {
    await runtime.stop();
    throw err;
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    progress(`failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
