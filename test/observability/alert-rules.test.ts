import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { scrapeJobs } from "../../dashboards/src/scrape-jobs";
import { rulesFile, rulesTestFile, runbooksFile } from "./observed-files";

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  name: string;
  alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }>;
}

const rules = (parseYaml(readFileSync(rulesFile, "utf8")) as { groups: Array<{ rules: AlertRule[] }> }).groups.flatMap((g) => g.rules);
const ruleTests = (parseYaml(readFileSync(rulesTestFile, "utf8")) as { tests: RuleTest[] }).tests;

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  return new Set(
    markdown
      .split("\n")
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => l.replace(/^#+ /, "").trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-")),
  );
}

function promtool(args: string[]): { status: number | null; output: string } {
  const res = spawnSync("promtool", args, { encoding: "utf8" });
  if (res.error && (res.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error("promtool is not installed: `apt-get install -y prometheus` (Debian's package; .ci/run installs it)");
  }
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

describe("observability: alert rules", () => {
  it("when the issue's failure modes are listed, then an alert exists for each", () => {
    const names = rules.map((r) => r.alert);
    for (const required of [
      "TodoHighErrorRatio",
      "TodoHighLatencyP99",
      "TodoOutboxBacklogGrowing",
      "TodoOutboxStale",
      "TodoEventDeadLettered",
      "TodoReminderLatenessHigh",
      "TodoConsumerRetryStorm",
      "TodoPodCrashLooping",
      "TodoDaprSidecarDown",
      "TodoDaprSidecarsMissing",
      "TodoPubSubBrokerDown",
    ]) {
      assert.ok(names.includes(required), `no alert ${required}`);
    }
    assert.equal(new Set(names).size, names.length, "alert names repeat");
  });

  it("when each alert is read, then it has a severity, a summary, a description and a runbook section that exists", () => {
    const sections = anchors(readFileSync(runbooksFile, "utf8"));
    for (const r of rules) {
      assert.ok(["critical", "warning"].includes(r.labels?.severity ?? ""), `${r.alert}: severity`);
      assert.ok(r.annotations?.summary, `${r.alert}: summary`);
      assert.ok(r.annotations?.description, `${r.alert}: description`);
      const url = r.annotations?.runbook_url ?? "";
      assert.match(url, /^docs\/RUNBOOKS\.md#[a-z0-9-]+$/, `${r.alert}: runbook_url`);
      const anchor = url.split("#")[1];
      assert.ok(sections.has(anchor), `${r.alert}: docs/RUNBOOKS.md has no section #${anchor}`);
      assert.equal(anchor, r.alert.toLowerCase(), `${r.alert}: runbook section should be named after the alert`);
    }
  });

  it("when the rules name a scrape job, then it is one the PodMonitors create", () => {
    const jobs = new Set<string>(Object.values(scrapeJobs));
    for (const r of rules) {
      for (const m of r.expr.matchAll(/(?<![\w])job="([^"]+)"/g)) assert.ok(jobs.has(m[1]), `${r.alert} uses unknown job ${m[1]}`);
    }
  });

  it("when the unit tests are read, then every alert has a case where it fires and one where it stays silent", () => {
    for (const r of rules) {
      const cases = ruleTests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => a.alertname === r.alert));
      assert.ok(cases.some((c) => c.exp_alerts.length > 0), `${r.alert} is never shown to fire`);
      assert.ok(cases.some((c) => c.exp_alerts.length === 0), `${r.alert} is never shown to stay silent`);
    }
  });

  it("when promtool checks the rule file, then it is valid", () => {
    const { status, output } = promtool(["check", "rules", rulesFile]);
    assert.equal(status, 0, output);
    assert.match(output, new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it("when promtool runs the rule unit tests, then every alert fires on its failure and stays silent when healthy", () => {
    const { status, output } = promtool(["test", "rules", rulesTestFile]);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS/);
  });
});
