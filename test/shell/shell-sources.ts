/**
 * The shell this repository runs: every `*.sh` file and every extension-less script with a sh/bash
 * shebang, plus every `run:` block of the GitHub workflows (bash is their default shell on Linux).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";

const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "render", ".data", "coverage", "test-results"]);
const SHELL_SHEBANG = /^#!\s*(\/usr\/bin\/env\s+)?(\/bin\/|\/usr\/bin\/)?(ba)?sh\b/;

export function findShellScripts(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (SKIP_DIRS.has(entry)) continue;
      const path = join(dir, entry);
      const stat = statSync(path);
      if (stat.isDirectory()) visit(path);
      else if (entry.endsWith(".sh")) out.push(relative(root, path));
      else if (!entry.includes(".") && stat.size < 1_000_000 && SHELL_SHEBANG.test(readFileSync(path, "utf8").slice(0, 100))) {
        out.push(relative(root, path));
      }
    }
  };
  visit(root);
  return out.sort();
}

export interface RunBlock {
  /** `<workflow>:<job>:<step index>` */
  where: string;
  /** The script as bash sees it, with every `${{ … }}` expression replaced by a plain word. */
  script: string;
}

/** GitHub substitutes expressions before bash runs; a neutral word keeps the shell structure intact. */
export function neutraliseExpressions(script: string): string {
  return script.replace(/\$\{\{[\s\S]*?\}\}/g, "GHA_EXPRESSION");
}

export function workflowRunBlocks(file: string, source: string): RunBlock[] {
  const workflow = parse(source) as { jobs?: Record<string, { steps?: { run?: string; shell?: string }[] }> };
  const blocks: RunBlock[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    (job.steps ?? []).forEach((step, index) => {
      if (typeof step.run !== "string") return;
      if (step.shell !== undefined && !/^(bash|sh)\b/.test(step.shell)) return;
      blocks.push({ where: `${file}:${jobId}:${index}`, script: neutraliseExpressions(step.run) });
    });
  }
  return blocks;
}
