import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

// The gates CI runs before the tests, here too, so `npm test` alone tells whether a change lands:
// strict TypeScript in both packages (the Pulumi program and the services, the web UI's own config) and ESLint.
const root = join(__dirname, "..", "..");

function run(args: string[], cwd = root) {
  const res = spawnSync(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 32 * 1024 * 1024 });
  return { status: res.status, output: `${res.stdout}${res.stderr}`.trim() };
}

describe("repository static checks", function () {
  this.timeout(600_000);

  it("when the Pulumi program, scripts and root tests are typechecked (strict), then there is no error", () => {
    const r = run([join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"]);
    assert.equal(r.status, 0, r.output.slice(0, 4000));
  });

  it("when the services and their tests are typechecked (strict), then there is no error", () => {
    const r = run([join(root, "services/node_modules/typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"], join(root, "services"));
    assert.equal(r.status, 0, r.output.slice(0, 4000));
  });

  it("when the web UI is typechecked with its DOM config, then there is no error", () => {
    const r = run([join(root, "services/node_modules/typescript/bin/tsc"), "--noEmit", "-p", "frontend/web/tsconfig.json"], join(root, "services"));
    assert.equal(r.status, 0, r.output.slice(0, 4000));
  });

  it("when ESLint runs over the repository, then it reports nothing", () => {
    const r = run([join(root, "node_modules/eslint/bin/eslint.js"), "--max-warnings=0", "."]);
    assert.equal(r.status, 0, r.output.slice(0, 4000));
  });
});
