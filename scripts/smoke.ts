/**
 * `npm run smoke -- <base-url>`: the scripted user journey used after every deploy and against
 * `npm start`. Prints each step with its timing; exits 1 with the failing step's message.
 */
import { runSmokeJourney, type JourneyReporter } from "./smoke/smoke-journey";
import { parseSmokeArgs } from "./smoke/smoke-options";

const pad = (s: string) => s.padEnd(26);

async function main(): Promise<number> {
  let options;
  try {
    options = parseSmokeArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`smoke: ${(err as Error).message}\nusage: npm run smoke -- <base-url> [--ready-timeout=<s>] [--step-timeout=<s>]`);
    return 2;
  }
  console.log(`smoke journey against ${options.baseUrl}`);
  const reporter: JourneyReporter = {
    passed: (step, ms, detail) => console.log(`  ok   ${pad(step)} ${String(ms).padStart(6)} ms  ${detail}`),
    failed: (step, ms, message) => console.error(`  FAIL ${pad(step)} ${String(ms).padStart(6)} ms  ${message}`),
  };
  const result = await runSmokeJourney(options, reporter);
  if (result.ok) {
    console.log(`smoke passed in ${result.totalMs} ms`);
    return 0;
  }
  console.error(`smoke FAILED at "${result.failedStep}": ${result.message}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error("smoke crashed:", err);
    process.exit(1);
  },
);
