import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findShellScripts, neutraliseExpressions, workflowRunBlocks } from "./shell-sources";

const root = join(__dirname, "..", "..");
const workflowsDir = join(root, ".github", "workflows");

/** shellcheck's findings, one `file:line:col: level: message [SCxxxx]` per line; empty when clean. */
function shellcheck(files: string[], cwd: string): string {
  const res = spawnSync("shellcheck", ["--format=gcc", "--external-sources", ...files], { cwd, encoding: "utf8" });
  if (res.error) throw res.error;
  return (res.stdout + res.stderr).trim();
}

describe("shellcheck", () => {
  let tmp: string;
  before(() => {
    const probe = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
    assert.equal(probe.status, 0, "shellcheck must be installed (Debian: apt-get install shellcheck)");
    tmp = mkdtempSync(join(tmpdir(), "shellcheck-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("when a script has a classic mistake, then shellcheck reports it (the check really runs)", () => {
    const bad = join(tmp, "bad.sh");
    writeFileSync(bad, '#!/usr/bin/env bash\nfor f in $(ls *.txt); do rm $f; done\n');
    assert.match(shellcheck([bad], tmp), /SC2045|SC2086/);
  });

  it("when workflow expressions are neutralised, then the shell structure around them is kept", () => {
    assert.equal(neutraliseExpressions('echo "${{ inputs.x }}" ${{ matrix.a }}'), 'echo "GHA_EXPRESSION" GHA_EXPRESSION');
  });

  describe("scripts in the repository", () => {
    const scripts = findShellScripts(root);
    it("when the repository is searched, then the shell scripts are found", () => {
      assert.ok(scripts.length > 0, "at least one shell script");
      assert.ok(scripts.every((s) => !s.includes("node_modules")));
    });
    for (const script of scripts) {
      it(`when ${script} is checked, then shellcheck finds nothing`, () => {
        assert.equal(shellcheck([script], root), "");
      });
    }
  });

  describe("run blocks of the workflows", () => {
    for (const file of readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      it(`when every run block of ${file} is checked as a bash script, then shellcheck finds nothing`, () => {
        const blocks = workflowRunBlocks(file, readFileSync(join(workflowsDir, file), "utf8"));
        assert.ok(blocks.length > 0, `${file} has run blocks`);
        const files = blocks.map((block, i) => {
          const path = join(tmp, `${file}.${i}.sh`);
          // GitHub runs these as `bash --noprofile --norc -eo pipefail {0}`.
          writeFileSync(path, `#!/usr/bin/env bash\n# ${block.where}\nset -eo pipefail\n${block.script}\n`);
          return path;
        });
        assert.equal(shellcheck(files, tmp), "");
      });
    }
  });
});
