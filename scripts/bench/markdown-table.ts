/**
 * `npm run bench | tail -1 | npx tsx scripts/bench/markdown-table.ts`: the figures of one bench run as
 * the markdown table in docs/PERFORMANCE.md, so no figure there is typed by hand.
 */
import { readFileSync } from "node:fs";

interface Latency {
  p50Ms: number;
  p99Ms: number;
}
interface Report {
  mode: string;
  createTask: { concurrency: number; ours: Latency & { requestsPerSec: number }; baseline: Latency & { requestsPerSec: number }; backendWithoutGateway: Latency & { requestsPerSec: number }; baselineBehindGateway: Latency & { requestsPerSec: number }; ratioToBaseline: number; gatewayHopRatio: number; outboxAfterLoad: { eventsPerSec: number | null } };
  eventPipeline: { completeToFrame: Latency; completeToNextOccurrence: Latency; sustained: { completionsPerSec: number; framesPerSec: number } };
  reminderLateness: { reminders: number; fireLateness: Latency; frameLateness: Latency };
  idleRssMb: Record<string, number>;
  targets: { ratioToBaseline: number; eventPipelineP99Ms: number; reminderLatenessP99Ms: number; idleRssMbPerService: number };
}

const r = JSON.parse(readFileSync(0, "utf8").trim().split("\n").at(-1)!) as Report;
const t = r.targets;
const ok = (pass: boolean) => (pass ? "met" : "**missed**");
const c = r.createTask;
const e = r.eventPipeline;
const rows: string[][] = [
  ["createTask rps, ours (gateway → backend), concurrency " + c.concurrency, String(c.ours.requestsPerSec), "", ""],
  ["createTask rps, bare Express + pg baseline", String(c.baseline.requestsPerSec), "", ""],
  ["createTask `ratioToBaseline`", String(c.ratioToBaseline), `≥ ${t.ratioToBaseline}`, ok(c.ratioToBaseline >= t.ratioToBaseline)],
  ["createTask p50 / p99 ms, ours", `${c.ours.p50Ms} / ${c.ours.p99Ms}`, "", ""],
  ["createTask p50 / p99 ms, baseline", `${c.baseline.p50Ms} / ${c.baseline.p99Ms}`, "", ""],
  ["createTask rps, backend without the gateway (diagnosis)", String(c.backendWithoutGateway.requestsPerSec), "", ""],
  ["createTask rps, the baseline behind a gateway of its own (diagnosis)", String(c.baselineBehindGateway.requestsPerSec), "", ""],
  ["`gatewayHopRatio`: baseline behind the gateway ÷ baseline (diagnosis)", String(c.gatewayHopRatio), "", ""],
  ["outbox relay drain after the load, events/s", String(c.outboxAfterLoad.eventsPerSec), "", ""],
  ["complete → `task.completed` frame p50 / p99 ms", `${e.completeToFrame.p50Ms} / ${e.completeToFrame.p99Ms}`, `p99 ≤ ${t.eventPipelineP99Ms}`, ok(e.completeToFrame.p99Ms <= t.eventPipelineP99Ms)],
  ["complete → next occurrence's `task.created` frame p50 / p99 ms", `${e.completeToNextOccurrence.p50Ms} / ${e.completeToNextOccurrence.p99Ms}`, `p99 ≤ ${t.eventPipelineP99Ms}`, ok(e.completeToNextOccurrence.p99Ms <= t.eventPipelineP99Ms)],
  ["sustained completions/s (frames/s), concurrency 8", `${e.sustained.completionsPerSec} (${e.sustained.framesPerSec})`, "", ""],
  [`reminder lateness p50 / p99 ms, fire (${r.reminderLateness.reminders} reminders)`, `${r.reminderLateness.fireLateness.p50Ms} / ${r.reminderLateness.fireLateness.p99Ms}`, `p99 ≤ ${t.reminderLatenessP99Ms}`, ok(r.reminderLateness.fireLateness.p99Ms <= t.reminderLatenessP99Ms)],
  ["reminder lateness p50 / p99 ms, frame at the browser", `${r.reminderLateness.frameLateness.p50Ms} / ${r.reminderLateness.frameLateness.p99Ms}`, "", ""],
  ...Object.entries(r.idleRssMb).map(([app, mb]) => [`idle RSS MB, ${app}`, String(mb), `≤ ${t.idleRssMbPerService}`, ok(mb <= t.idleRssMbPerService)]),
];
console.log(`| figure (${r.mode} run) | measured | target | |\n|---|---|---|---|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
