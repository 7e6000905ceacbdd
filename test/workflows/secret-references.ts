/**
 * Where a workflow touches `secrets.*`. The rule: a secret is only ever the value of a step-level
 * `env:` entry (the step that needs it, nothing else sees it), never written into a `run:` script,
 * an action input, a job or workflow `env:`, and no script prints the variable that holds one.
 */

export interface SecretFinding {
  path: string;
  problem: string;
}

const SECRET_EXPRESSION = /\$\{\{[^}]*\bsecrets\./;

function walk(value: unknown, path: (string | number)[], visit: (path: (string | number)[], value: string) => void): void {
  if (typeof value === "string") visit(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i], visit));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
  }
}

/** `jobs.<id>.steps.<n>.env.<NAME>` is the only place a secret expression may appear. */
function isStepEnv(path: (string | number)[]): boolean {
  return path.length === 6 && path[0] === "jobs" && path[2] === "steps" && typeof path[3] === "number" && path[4] === "env";
}

/** Commands that would write a variable to the log. */
function printsVariable(script: string, variable: string): boolean {
  const reference = `\\$(\\{${variable}(?:[^}]*)\\}|${variable}\\b)`;
  const printing = new RegExp(`\\b(echo|printf)\\b.*${reference}`);
  // `set -x` traces every expanded command, secrets included.
  return script.split("\n").some((line) => printing.test(line) || /\bset\s+-[a-wyz]*x/.test(line));
}

export function findSecretMisuse(workflow: unknown): SecretFinding[] {
  const findings: SecretFinding[] = [];
  walk(workflow, [], (path, value) => {
    if (!SECRET_EXPRESSION.test(value)) return;
    const at = path.join(".");
    if (path[path.length - 1] === "run") findings.push({ path: at, problem: "secret expression inside a run script" });
    else if (!isStepEnv(path)) findings.push({ path: at, problem: "secret outside a step-level env entry" });
  });

  const jobs = (workflow as { jobs?: Record<string, { steps?: { env?: Record<string, unknown>; run?: string }[] }> }).jobs ?? {};
  for (const [jobId, job] of Object.entries(jobs)) {
    (job.steps ?? []).forEach((step, index) => {
      if (typeof step.run !== "string" || !step.env) return;
      for (const [name, value] of Object.entries(step.env)) {
        if (typeof value === "string" && SECRET_EXPRESSION.test(value) && printsVariable(step.run, name)) {
          findings.push({ path: `jobs.${jobId}.steps.${index}.run`, problem: `prints ${name}, which holds a secret` });
        }
      }
    });
  }
  return findings;
}
