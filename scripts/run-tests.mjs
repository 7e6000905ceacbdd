#!/usr/bin/env node
// `npm test`: every mocha suite, each in its own process, then one line `N passed, N failed`.
// Suites are separate processes because Pulumi's mock runtime holds one stack per process, and the
// browser and service suites start servers of their own.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

function find(dir, pattern, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) find(p, pattern, out);
    else if (pattern.test(entry)) out.push(relative(root, p));
  }
  return out.sort();
}

// `*.isolated.test.ts` files each get a process of their own (one Pulumi stack, a browser, faults);
// all other `*.test.ts` files run together.
const all = [...find(join(root, "services"), /\.test\.ts$/), ...find(join(root, "test"), /\.test\.ts$/), ...find(join(root, "components"), /\.test\.ts$/), ...find(join(root, "stacks"), /\.test\.ts$/)];
const only = process.argv.slice(2);
const selected = only.length ? all.filter((f) => only.some((o) => f.includes(o))) : all;
const isolated = selected.filter((f) => f.endsWith(".isolated.test.ts"));
const shared = selected.filter((f) => !f.endsWith(".isolated.test.ts"));
const suites = [...(shared.length ? [{ name: "unit+integration", files: shared }] : []), ...isolated.map((f) => ({ name: f, files: [f] }))];

const tmp = mkdtempSync(join(tmpdir(), "todo-tests-"));
let passed = 0;
let failed = 0;
const failures = [];
const started = Date.now();
for (const [i, suite] of suites.entries()) {
  const summary = join(tmp, `${i}.json`);
  const suiteStarted = Date.now();
  console.log(`\n=== ${suite.name}`);
  const res = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "node_modules/mocha/bin/mocha.js"), "--timeout", "60000", "--exit", "--reporter", join(root, "scripts/mocha-summary-reporter.cjs"), ...suite.files],
    { cwd: root, stdio: "inherit", env: { ...process.env, MOCHA_SUMMARY_FILE: summary } },
  );
  if (existsSync(summary)) {
    const s = JSON.parse(readFileSync(summary, "utf8"));
    passed += s.passed;
    failed += s.failed;
    for (const f of s.failures ?? []) failures.push(`${suite.name}: ${f.title}\n      ${f.error}`);
    if (res.status !== 0 && s.failed === 0) {
      failed += 1; // crashed after the run (e.g. in an after hook)
      failures.push(`${suite.name}: exited ${res.status ?? res.signal} after its tests`);
    }
  } else {
    console.error(`suite ${suite.name} did not run to the end (exit ${res.status ?? res.signal})`);
    failed += 1;
    failures.push(`${suite.name}: did not run to the end (exit ${res.status ?? res.signal})`);
  }
  console.log(`=== ${suite.name}: ${Math.round((Date.now() - suiteStarted) / 1000)} s`);
}
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
console.log(`\nall suites: ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
