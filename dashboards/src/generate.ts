// Writes dashboards/<name>.json from the TypeScript definitions: `npx tsx dashboards/src/generate.ts`.
// The JSON is committed (it is what Grafana loads and what reviewers read); a test fails when it
// differs from what this would write.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { dashboards, renderDashboard } from "./index";

const outDir = join(__dirname, "..");
for (const [name, dash] of Object.entries(dashboards)) {
  writeFileSync(join(outDir, `${name}.json`), renderDashboard(dash));
  console.log(`wrote dashboards/${name}.json`);
}
