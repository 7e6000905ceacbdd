import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "..", "..", "..");

function shellScripts(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry === "bin" || entry.startsWith(".")) continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) shellScripts(p, out);
    else if (entry.endsWith(".sh")) out.push(p);
  }
  return out;
}

describe("shell scripts", () => {
  it("when shellcheck runs over every *.sh in the repository, then it reports nothing", () => {
    const scripts = shellScripts(root);
    assert.ok(scripts.some((s) => s.endsWith("install-k3s-server.sh")), "the k3s scripts are found");
    const res = spawnSync("shellcheck", ["--external-sources", ...scripts], { cwd: root, encoding: "utf8" });
    assert.equal(res.error, undefined, "shellcheck is installed (apt-get install -y shellcheck)");
    assert.equal(res.status, 0, `shellcheck findings in ${scripts.map((s) => relative(root, s)).join(", ")}:\n${res.stdout}${res.stderr}`);
  });

  it("when a script is checked, then it runs in strict mode (bash: set -euo pipefail; POSIX sh, which has no pipefail: set -eu)", () => {
    for (const script of shellScripts(join(root, "components"))) {
      const text = readFileSync(script, "utf8");
      const posix = /^#!\/bin\/sh\b/.test(text);
      const strict = posix ? /^set -eu(o pipefail)?$/m : /^set -euo pipefail$/m;
      assert.match(text, strict, `${relative(root, script)} is not in strict mode`);
    }
  });
});
