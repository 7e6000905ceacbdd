/** The dashboards and rule file under test, read from the repository as committed. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { dashboardExpressions, ruleExpressions, type Expression } from "./metric-references";

export const repoRoot = join(__dirname, "..", "..");
export const dashboardsDir = join(repoRoot, "dashboards");
export const rulesFile = join(dashboardsDir, "alerts", "todo-alerts.rules.yaml");
export const rulesTestFile = join(dashboardsDir, "alerts", "todo-alerts.test.yaml");
export const runbooksFile = join(repoRoot, "docs", "RUNBOOKS.md");

export function dashboardFiles(): string[] {
  return readdirSync(dashboardsDir)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

export function readDashboard(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dashboardsDir, file), "utf8")) as Record<string, unknown>;
}

/** Every PromQL expression we ship: dashboard targets and variables, then alert rules. */
export function allExpressions(): Expression[] {
  return [
    ...dashboardFiles().flatMap((f) => dashboardExpressions(f, readDashboard(f))),
    ...ruleExpressions("todo-alerts.rules.yaml", readFileSync(rulesFile, "utf8")),
  ];
}
