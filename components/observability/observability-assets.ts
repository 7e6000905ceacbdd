import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The committed dashboards and alert rules, read from `dashboards/` (what reviewers see is what is
 * deployed; a test keeps the JSON equal to its TypeScript source).
 */
const dashboardsDir = join(__dirname, "..", "..", "dashboards");

export interface DashboardAsset {
  /** e.g. `task-operations` */
  name: string;
  /** e.g. `task-operations.json` */
  file: string;
  json: string;
}

export function readDashboards(dir = dashboardsDir): DashboardAsset[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ""), file, json: readFileSync(join(dir, file), "utf8") }));
}

export function readAlertRules(dir = dashboardsDir): string {
  return readFileSync(join(dir, "alerts", "todo-alerts.rules.yaml"), "utf8");
}
