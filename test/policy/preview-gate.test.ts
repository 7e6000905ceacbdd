import assert from "node:assert/strict";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = join(__dirname, "..", "..");

describe("policy gate: pulumi preview runs the policy pack", () => {
  it("when preview.yml previews the cloud stack, then pulumi/actions gets policyPacks: policy", () => {
    const w = parse(readFileSync(join(root, ".github/workflows/preview.yml"), "utf8")) as { jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }> };
    // The steps that run a Pulumi command (another pulumi/actions step only installs the pinned CLI).
    const steps = Object.values(w.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command !== undefined);
    assert.equal(steps.length, 1);
    // pulumi/actions v7.0.0 action.yml: input `policyPacks` → one `--policy-pack` per entry (src/config.ts).
    assert.match(steps[0]!.uses!, /^pulumi\/actions@v7/);
    assert.equal(steps[0]!.with?.policyPacks, "policy");
  });

  it("when the CLI loads policy/, then it finds a Node.js TypeScript pack with a versioned package.json and no dependencies to install", () => {
    const manifest = parse(readFileSync(join(root, "policy/PulumiPolicy.yaml"), "utf8")) as { runtime: { name: string; options?: { typescript?: boolean } } };
    assert.equal(manifest.runtime.name, "nodejs");
    assert.equal(manifest.runtime.options?.typescript, true);
    // @pulumi/policy PolicyPack reads `version` from <cwd>/package.json (policy.js, v1.21.0).
    const pkg = JSON.parse(readFileSync(join(root, "policy/package.json"), "utf8")) as { version?: string; dependencies?: unknown; main?: string };
    assert.match(pkg.version ?? "", /^\d+\.\d+\.\d+$/);
    assert.equal(pkg.dependencies, undefined, "resolved from the repository's node_modules");
    assert.ok(existsSync(join(root, "policy", pkg.main ?? "index.js")));
    assert.ok(require.resolve("@pulumi/policy", { paths: [join(root, "policy")] }).startsWith(realpathSync(join(root, "node_modules"))));
  });
});
