import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/*
 * ESLint (import-boundaries.test.ts) checks each import as written; this checks what loading really
 * pulls in, transitively: the domain modules and the Pulumi program are required in a fresh Node
 * process and every module file it ended up loading is listed. A pure module that reaches Express,
 * pg or jose through some re-export fails here even when each single import looks fine.
 */
const root = join(__dirname, "..", "..");
// node_modules may be a symlink to a shared install; loaded files are named by their real path.
const servicesPackagesDir = realpathSync(join(root, "services", "node_modules"));

function filesUnder(dir: string, keep: (path: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (entry === "node_modules" || entry === "test") continue;
    if (statSync(p).isDirectory()) filesUnder(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}

/** Loads the modules in one process; answers every loaded file (absolute, real paths). */
function loadedBy(modules: string[]): string[] {
  const script = `for (const m of JSON.parse(process.argv[1])) require(m);\nprocess.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const res = spawnSync(process.execPath, ["--import", "tsx", "-e", script, JSON.stringify(modules)], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.equal(res.status, 0, res.stderr.slice(0, 4000));
  return JSON.parse(res.stdout) as string[];
}

/** The repository's own files among the loaded ones (no package), relative to the repository. */
const ownFiles = (files: string[]) => files.map((f) => relative(root, f)).filter((f) => !f.startsWith("..") && !f.includes("node_modules/"));

// The TypeScript loader the test process runs under, not something the modules import.
const loader = new Set(["tsx", "esbuild", "get-tsconfig", "resolve-pkg-maps"]);

/** The npm packages among the loaded files (`@scope/name` or `name`, wherever their node_modules is). */
function packagesOf(files: string[]): Set<string> {
  const names = files.map((f) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((n): n is string => Boolean(n) && !loader.has(n!));
  return new Set(names);
}

const ts = (p: string) => p.endsWith(".ts") && !p.endsWith(".test.ts");

describe("pure modules load nothing impure", function () {
  this.timeout(120_000);

  it("when every services/*/src/domain module is loaded, then only zod and rrule are, plus domain, contracts and recurrence files", () => {
    const domain = readdirSync(join(root, "services"))
      .map((wing) => join(root, "services", wing, "src", "domain"))
      .flatMap((dir) => filesUnder(dir, ts));
    assert.ok(domain.length >= 10, `found only ${domain.length} domain modules`);
    const loaded = loadedBy(domain);
    assert.deepEqual([...packagesOf(loaded)].filter((p) => p !== "zod" && p !== "rrule"), []);
    const outside = ownFiles(loaded).filter((f) => !/^services\/[\w-]+\/src\/domain\/|^services\/contracts\/src\/|^services\/shared\/src\/recurrence\//.test(f));
    assert.deepEqual(outside, []);
  });

  it("when the Pulumi program's modules are loaded, then nothing of the services tree but the contracts package is", () => {
    const program = [...filesUnder(join(root, "components"), ts), join(root, "stacks", "config.ts")];
    const loaded = loadedBy(program);
    const servicePackages = [...packagesOf(loaded.filter((f) => f.startsWith(`${servicesPackagesDir}/`)))].filter((p) => p !== "zod");
    assert.deepEqual(servicePackages, [], "packages of services/node_modules loaded by the Pulumi program");
    const fromServices = ownFiles(loaded).filter((f) => f.startsWith("services/"));
    assert.ok(fromServices.includes("services/contracts/src/topology.ts"), "the program builds from the topology");
    assert.deepEqual(fromServices.filter((f) => !/^services\/contracts\/src\/[\w-]+\.ts$/.test(f)), []);
    for (const p of ["express", "pg", "jose", "node-pg-migrate"]) assert.ok(!packagesOf(loaded).has(p), `${p} loaded by the Pulumi program`);
  });
});
