/**
 * The createTask load generator as a process of its own, so it does not share an event loop with the
 * system under test (the local runtime's gateway and sidecar live in the bench process). Reads its plan
 * as JSON from argv[2]; prints the results as one JSON line. Started with an IPC channel, it asks its
 * parent before every round (`{ quiet: target }`) and starts the round when the parent answers.
 */
import { interleavedLoad } from "./closed-loop-load";

interface LoadPlan {
  targets: Record<string, { url: string; headers: Record<string, string>; workerHeaders?: Record<string, string>[]; expectStatus: number }>;
  /** Every request sends this payload, with ` <i>` appended to its title. */
  payload: { title: string } & Record<string, unknown>;
  concurrency: number;
  totalMsPerTarget: number;
  rounds: number;
  warmupMs: number;
}

async function main() {
  const plan = JSON.parse(process.argv[2] ?? "") as LoadPlan;
  const body = (i: number) => JSON.stringify({ ...plan.payload, title: `${plan.payload.title} ${i}` });
  const targets = Object.fromEntries(Object.entries(plan.targets).map(([name, t]) => [name, { ...t, body }]));
  const results = await interleavedLoad(targets, { ...plan, beforeRound: process.send ? askParentForQuiet : undefined });
  process.stdout.write(`${JSON.stringify(results)}\n`);
  process.disconnect?.();
}

function askParentForQuiet(target: string): Promise<void> {
  return new Promise((resolve) => {
    process.once("message", () => resolve());
    process.send!({ quiet: target });
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
