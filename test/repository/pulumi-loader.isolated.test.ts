import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/*
 * Our tests load the Pulumi program with tsx; `pulumi up` does not. With `runtime.options.typescript:
 * true` (Pulumi.yaml) the CLI's Node host registers ts-node — the project's own if it has one, else the
 * ts-node 7.0.1 vendored in @pulumi/pulumi — with the project's TypeScript, type-checking unless
 * PULUMI_NODEJS_TRANSPILE_ONLY is set, and module/moduleResolution nodenext for TypeScript ≥ 4.7
 * (@pulumi/pulumi cmd/run/run.js and tsutils.js, typeScriptRequireStrings). That loader has to resolve
 * @todo/contracts (a symlinked package exporting .ts sources) and compile it outside node_modules, so
 * the program's modules are loaded here the way the CLI loads them.
 */
const root = join(__dirname, "..", "..");

function programModules(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (entry === "test" || entry === "node_modules") continue;
    if (statSync(p).isDirectory()) programModules(p, out);
    else if (p.endsWith(".ts") && !p.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

describe("the Pulumi program under the CLI's own TypeScript loader", function () {
  this.timeout(180_000);

  it("when every component module and the stack config are required through ts-node as `pulumi up` registers it, then each loads, type-checked, with the contracts by name", () => {
    const vendored = join(root, "node_modules", "@pulumi", "pulumi", "vendor", "ts-node@7.0.1");
    const ownTsNode = existsSync(join(root, "node_modules", "ts-node"));
    const tsNode = ownTsNode ? "ts-node" : vendored;
    assert.ok(ownTsNode || existsSync(vendored), "no ts-node for the Pulumi host to register");
    const modules = [...programModules(join(root, "components")), join(root, "stacks", "config.ts")];
    const script = `
      require(${JSON.stringify(tsNode)}).register({ compiler: "typescript", project: "tsconfig.json", skipProject: false,
        compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" } });
      for (const m of JSON.parse(process.argv[1])) require(m);
      const contracts = Object.keys(require.cache).filter((f) => f.includes("/services/contracts/src/"));
      process.stdout.write(JSON.stringify({ contracts: contracts.length, tsx: Object.keys(require.cache).some((f) => f.includes("/tsx/")) }));`;
    const res = spawnSync(process.execPath, ["-e", script, JSON.stringify(modules)], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    assert.equal(res.status, 0, res.stderr.slice(0, 4000));
    const loaded = JSON.parse(res.stdout) as { contracts: number; tsx: boolean };
    assert.ok(loaded.contracts >= 3, `contracts modules compiled by ts-node: ${loaded.contracts}`);
    assert.equal(loaded.tsx, false, "tsx was not involved");
  });
});
