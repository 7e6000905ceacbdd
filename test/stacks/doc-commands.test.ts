// The commands in docs/DEPLOYMENT.md, docs/TROUBLESHOOTING.md and docs/CI.md: every fenced shell block
// parses (bash -n), every `npm run` names a script of package.json, every `node scripts/run-tests.mjs X`
// matches a test file, and every `pulumi config set` (fenced or inline) names a key the stack's schema
// accepts (or one of its secrets), set the way the Pulumi CLI stores it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { parseStackConfig, PROJECT, SECRET_KEYS } from "../../stacks/config";

const root = join(__dirname, "..", "..");
const docs = ["DEPLOYMENT.md", "TROUBLESHOOTING.md", "CI.md"].map((f) => ({ file: f, text: readFileSync(join(root, "docs", f), "utf8") }));
const scripts = Object.keys((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);

function shellBlocks(text: string): string[] {
  return [...text.matchAll(/^\s*```(?:sh|bash)\n([\s\S]*?)^\s*```/gm)].map((m) => m[1].replace(/^ {3}/gm, ""));
}

/** Shell words of one command line (single/double quotes, no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Sets `path` (`a.b[0].c`) in `obj` the way `pulumi config set --path` does. */
function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.match(/[^.[\]]+|\[\d+\]/g)!.map((p) => (p.startsWith("[") ? Number(p.slice(1, -1)) : p));
  let cur: Record<string | number, unknown> = obj;
  parts.forEach((p, i) => {
    if (i === parts.length - 1) cur[p] = value;
    else cur = (cur[p] ??= typeof parts[i + 1] === "number" ? [] : {}) as Record<string | number, unknown>;
  });
}

/** The value as the CLI stores it with --path: integers and booleans typed, JSON for lists/objects, else a string. */
function storedValue(raw: string, path: boolean): unknown {
  if (path && /^-?\d+$/.test(raw)) return Number(raw);
  if (path && (raw === "true" || raw === "false")) return raw === "true";
  if (/^[[{]/.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

function stackFile(stack: string): Record<string, unknown> {
  const config = (parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
  return Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith(`${PROJECT}:`)).map(([k, v]) => [k.slice(PROJECT.length + 1), v]));
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === "node_modules" || f.startsWith(".")) return [];
    return statSync(p).isDirectory() ? testFiles(p) : /\.test\.ts$/.test(f) ? [relative(root, p)] : [];
  });
}

describe("commands in the docs", () => {
  const all = docs.flatMap((d) => shellBlocks(d.text).map((block) => ({ file: d.file, block })));

  it("when the docs are read, then they hold shell blocks and every block is valid bash", () => {
    assert.ok(all.length >= 10, `${all.length} blocks`);
    for (const { file, block } of all) {
      const res = spawnSync("bash", ["-n"], { input: block, encoding: "utf8" });
      assert.equal(res.status, 0, `${file}:\n${block}\n${res.stderr}`);
    }
  });

  it("when a doc says npm run X or node scripts/run-tests.mjs Y, then X is a package.json script and Y matches a test file", () => {
    const text = docs.map((d) => d.text).join("\n");
    const runs = [...text.matchAll(/npm run (?:-s |--silent )?([a-z][\w:-]*)/g)].map((m) => m[1]);
    assert.ok(runs.includes("preflight") && runs.includes("smoke") && runs.includes("render"));
    for (const r of runs) assert.ok(scripts.includes(r), `npm run ${r}: no such script`);
    const tests = testFiles(root);
    for (const m of text.matchAll(/node scripts\/run-tests\.mjs ((?:[\w./-]+ ?)+)/g)) {
      for (const filter of m[1].trim().split(/\s+/).filter((f) => !f.startsWith("-") && !/^[A-Z]/.test(f))) {
        assert.ok(tests.some((t) => t.includes(filter)), `run-tests ${filter}: no test file matches`);
      }
    }
  });

  it("when a doc says pulumi config set, then the key is one the stack's schema knows, or one of its secrets", () => {
    const text = docs.map((d) => d.text).join("\n");
    const lines = [...text.matchAll(/pulumi config set [^\n`]*/g)].map((m) => m[0]);
    assert.ok(lines.length >= 20, `${lines.length} config commands`);
    for (const line of lines) {
      const w = words(line).slice(3);
      const secret = w.includes("--secret");
      const path = w.includes("--path");
      const stackAt = w.indexOf("-s");
      const stack = stackAt >= 0 ? w[stackAt + 1] : undefined;
      const [key, value] = w.filter((x, i) => !x.startsWith("-") && (stackAt < 0 || i !== stackAt + 1));
      assert.ok(stack === "local" || stack === "cloud", `${line}: -s local|cloud`);
      if (key === "…") continue; // prose: "pulumi config set --secret … -s cloud"
      if (key.startsWith("oci:")) continue; // the OCI provider's own config (oci:region, oci:configFileProfile)
      assert.ok(key.startsWith(`${PROJECT}:`), line);
      const name = key.slice(PROJECT.length + 1);
      if (secret) {
        assert.ok((SECRET_KEYS as readonly string[]).includes(name), `${line}: not a secret key of the program`);
        continue;
      }
      const config = structuredClone(stackFile(stack));
      const stored = value === undefined || /\$\(|…|<|^your-/.test(value) ? "x" : storedValue(value, path);
      if (path) setPath(config, name, stored);
      else config[name] = stored;
      try {
        parseStackConfig(config, stack);
      } catch (err) {
        // Only the key this command sets (the docs' next command may remove its siblings).
        const unknown = (err as Error).message.split("\n").filter((m) => /unknown setting/.test(m) && m.startsWith(`${PROJECT}:${name.replace(/\[(\d+)\]/g, ".$1")} (`));
        assert.deepEqual(unknown, [], `${line}: ${unknown.join("; ")}`);
        // A real value (not a placeholder) must also be valid as stored.
        if (stored !== "x") assert.doesNotMatch((err as Error).message, new RegExp(`${PROJECT}:${name.replace(/[.[\]]/g, "\\$&")}`), `${line}: ${(err as Error).message}`);
      }
    }
  });
});
