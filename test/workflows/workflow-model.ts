/**
 * The GitHub Actions workflows of this repository, read and parsed with a schema of the subset the
 * gate tests look at. A workflow the schema does not accept (a step with both `uses` and `run`, a
 * permission that is not read/write/none, a job without a timeout) fails loudly here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";

export const repoRoot = join(__dirname, "..", "..");
export const workflowsDir = join(repoRoot, ".github", "workflows");

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Condition = z.union([z.string(), z.boolean()]);

export const Permissions = z.union([
  z.enum(["read-all", "write-all"]),
  z.record(z.string(), z.enum(["read", "write", "none"])),
]);
export type Permissions = z.infer<typeof Permissions>;

export const Step = z
  .object({
    name: z.string().optional(),
    id: z.string().optional(),
    if: Condition.optional(),
    uses: z.string().optional(),
    run: z.string().optional(),
    shell: z.string().optional(),
    with: z.record(z.string(), Scalar).optional(),
    env: z.record(z.string(), Scalar).optional(),
    "working-directory": z.string().optional(),
    "continue-on-error": Condition.optional(),
    "timeout-minutes": z.number().optional(),
  })
  .strict()
  .refine((s) => (s.uses === undefined) !== (s.run === undefined), { message: "a step has exactly one of `uses` and `run`" });
export type Step = z.infer<typeof Step>;

const Concurrency = z.object({ group: z.string(), "cancel-in-progress": z.boolean() }).strict();

export const Job = z
  .object({
    name: z.string().optional(),
    /**
     * Job-level: a job skipped by its `if:` never enters the group (a workflow-level group is taken by
     * every run, skipped or not, and a newer pending run cancels the older pending one).
     */
    concurrency: Concurrency.optional(),
    needs: z.union([z.string(), z.array(z.string())]).optional(),
    if: Condition.optional(),
    "runs-on": z.string(),
    "timeout-minutes": z.number().int().positive(),
    permissions: Permissions.optional(),
    environment: z.union([z.string(), z.object({ name: z.string(), url: z.string().optional() }).strict()]).optional(),
    container: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    services: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    strategy: z.object({ "fail-fast": z.boolean().optional(), matrix: z.record(z.string(), z.unknown()) }).strict().optional(),
    outputs: z.record(z.string(), z.string()).optional(),
    env: z.record(z.string(), Scalar).optional(),
    steps: z.array(Step).min(1),
  })
  .strict();
export type Job = z.infer<typeof Job>;

export const Workflow = z
  .object({
    name: z.string(),
    on: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
    permissions: Permissions,
    concurrency: Concurrency.optional(),
    env: z.record(z.string(), Scalar).optional(),
    jobs: z.record(z.string(), Job),
  })
  .strict();
export type Workflow = z.infer<typeof Workflow>;

export interface WorkflowFile {
  file: string;
  path: string;
  source: string;
  /** The parsed YAML, unvalidated (for walks over every value). */
  raw: unknown;
  workflow: Workflow;
}

export function parseWorkflow(file: string, source: string): WorkflowFile {
  const raw: unknown = parse(source);
  const result = Workflow.safeParse(raw);
  if (!result.success) {
    throw new Error(`${file} does not match the workflow schema: ${z.prettifyError(result.error)}`);
  }
  return { file, path: join(workflowsDir, file), source, raw, workflow: result.data };
}

export function loadWorkflows(): WorkflowFile[] {
  return readdirSync(workflowsDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => parseWorkflow(file, readFileSync(join(workflowsDir, file), "utf8")));
}

export function allSteps(workflow: Workflow): { jobId: string; index: number; step: Step }[] {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) => job.steps.map((step, index) => ({ jobId, index, step })));
}

/** Index of the first step matching `predicate`, or -1. */
export function stepIndex(job: Job, predicate: (s: Step) => boolean): number {
  return job.steps.findIndex(predicate);
}

export function usesAction(step: Step, action: string): boolean {
  return step.uses !== undefined && step.uses.split("@")[0] === action;
}
