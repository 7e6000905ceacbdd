// Pulumi.yaml and package.json as the Pulumi CLI reads them: the program must compile under the same
// compiler options as `npm test`/`npm run typecheck` (the root tsconfig.json).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = join(__dirname, "..", "..");

describe("Pulumi project file", () => {
  const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { main?: string; runtime: { name: string; options?: Record<string, unknown> } };
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { main: string };
  const tsconfig = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")) as { include: string[] };

  it("when Pulumi starts the program, then it runs from the root (no `main` directory that would hide tsconfig.json)", () => {
    // `main: stacks/` made Pulumi change into stacks/, where no tsconfig.json is found.
    assert.ok(project.main === undefined || project.main === "." || project.main === "./", `main: ${project.main}`);
    assert.equal(project.runtime.name, "nodejs");
    assert.equal(project.runtime.options?.typescript, true);
  });

  it("when the root package is required, then its main is the stack entry and the root tsconfig.json includes it", () => {
    assert.equal(pkg.main, "stacks/index.ts");
    assert.ok(existsSync(join(root, pkg.main)));
    assert.ok(tsconfig.include.includes("stacks/**/*.ts"), "npm run typecheck compiles the program with the same options");
  });
});
