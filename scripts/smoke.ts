/**
 * `npm run smoke -- <base-url>`: the scripted user journey used after every deploy and against
 * `npm start`. Prints each step with its timing; exits 1 with the failing step's message.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { runSmokeJourney, type JourneyReporter } from "./smoke/smoke-journey";
import { parseSmokeArgs } from "./smoke/smoke-options";

const pad = (s: string) => s.padEnd(26);

async function main(): Promise<number> {
  let options;
  try {
    options = parseSmokeArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`smoke: ${(err as Error).message}\nusage: npm run smoke -- <base-url> [--ready-timeout=<s>] [--step-timeout=<s>] [--ca-file=<pem>]`);
    return 2;
  }
  if (options.caFile) {
    const caFile = resolve(options.caFile);
    if (!existsSync(caFile)) {
      console.error(`smoke: --ca-file ${caFile}: no such file`);
      return 2;
    }
    // Node (OpenSSL) reads NODE_EXTRA_CA_CERTS only when the process starts: run again with it set.
    if (process.env.NODE_EXTRA_CA_CERTS !== caFile) {
      const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile } });
      return again.status ?? 1;
    }
    console.log(`trusting the extra CAs in ${caFile}`);
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
