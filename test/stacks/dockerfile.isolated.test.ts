// services/Dockerfile without a Docker engine: lint (dockerfile-utils, the VS Code Docker extension's
// validator), the stage layout and hardening, and a rehearsal of the build stage's own RUN lines on a
// copy of the build context (same files the COPY lines and .dockerignore let in), for one service with a
// web UI and one with migrations.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { validate } from "dockerfile-utils";

const servicesDir = join(__dirname, "..", "..", "services");
const dockerfile = readFileSync(join(servicesDir, "Dockerfile"), "utf8");

interface Instruction {
  stage: string;
  keyword: string;
  args: string;
}

/** Instructions with line continuations joined and comments dropped, each tagged with its stage. */
function instructions(text: string): Instruction[] {
  const joined = text.split("\n").filter((l) => !/^\s*#/.test(l)).join("\n").replace(/\\\n/g, " ");
  let stage = "";
  const out: Instruction[] = [];
  for (const line of joined.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (keyword.toUpperCase() === "FROM") stage = / AS (\S+)$/i.exec(args)?.[1] ?? "";
    out.push({ stage, keyword: keyword.toUpperCase(), args });
  }
  return out;
}

const all = instructions(dockerfile);
const inStage = (stage: string, keyword?: string) => all.filter((i) => i.stage === stage && (!keyword || i.keyword === keyword));

describe("services/Dockerfile", () => {
  it("when it is linted, then the validator reports nothing", () => {
    assert.deepEqual(validate(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
  });

  it("when the stages are read, then build → deps (production dependencies from the lockfile) → a Node 22 runtime as the node user", () => {
    assert.deepEqual([...new Set(all.filter((i) => i.keyword === "FROM").map((i) => i.stage))], ["build", "deps", "runtime"]);
    assert.match(all.find((i) => i.keyword === "ARG" && i.args.startsWith("NODE_IMAGE="))!.args, /^NODE_IMAGE=node:22[.-]/);
    assert.ok(inStage("deps", "COPY").some((i) => /package-lock\.json/.test(i.args)));
    assert.ok(inStage("deps", "RUN").some((i) => /npm ci --omit=dev\b.*--ignore-scripts/.test(i.args)));
    assert.ok(inStage("deps", "RUN").some((i) => /rm -rf node_modules\/@todo\b/.test(i.args)), "no link to the contracts' TypeScript sources in the image");
    const runtime = inStage("runtime");
    assert.deepEqual(runtime.filter((i) => i.keyword === "USER").map((i) => i.args), ["node"]);
    assert.deepEqual(runtime.filter((i) => i.keyword === "RUN"), [], "nothing runs (or writes) in the runtime stage");
    assert.equal(runtime.at(-1)!.keyword, "CMD");
    assert.equal(runtime.at(-1)!.args, '["node", "dist/main.js"]');
    assert.ok(runtime.filter((i) => i.keyword === "COPY").every((i) => !/--from=build \/src/.test(i.args)), "no build tree (dev deps, sources) in the runtime");
  });

  it("when secrets are looked for, then no ARG or ENV carries one", () => {
    for (const i of all.filter((x) => x.keyword === "ARG" || x.keyword === "ENV")) assert.doesNotMatch(i.args, /secret|password|token|key/i, i.args);
  });

  for (const service of ["frontend", "backend"]) {
    it(`when the build stage's RUN lines run for SERVICE=${service}, then dist/main.js loads dist/${service}/src/main.js and everything it serves is in place`, function () {
      this.timeout(120_000);
      const ctx = mkdtempSync(join(tmpdir(), "docker-rehearsal-"));
      const out = join(ctx, "out");
      try {
        const ignored = new Set(["node_modules", "dist", "test", "web-dist", ".data", "coverage"]);
        const filter = (src: string) => !src.split(/[\\/]/).some((seg) => ignored.has(seg));
        for (const f of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"]) cpSync(join(servicesDir, f), join(ctx, f));
        for (const d of ["contracts", "shared", service]) cpSync(join(servicesDir, d), join(ctx, d), { recursive: true, filter });
        // Stands in for `npm ci` (same lockfile, already installed here).
        symlinkSync(join(servicesDir, "node_modules"), join(ctx, "node_modules"), "dir");
        const runs = inStage("build", "RUN").filter((i) => !/^test -n|^npm ci/.test(i.args));
        for (const r of runs) {
          execFileSync("sh", ["-ec", r.args.replaceAll("/out", out)], { cwd: ctx, env: { ...process.env, SERVICE: service }, stdio: "pipe" });
        }
        assert.equal(readFileSync(join(out, "dist", "main.js"), "utf8"), `require("./${service}/src/main.js");\n`);
        assert.ok(existsSync(join(out, "dist", service, "src", "main.js")));
        assert.ok(existsSync(join(out, "dist", "shared", "src", "config.js")), "the shared library ships beside the service");
        // The compiled service resolves @todo/contracts to the compiled contracts beside it (the image's
        // node_modules has no @todo: the deps stage removes the link to the TypeScript sources).
        const load = `const p = require.resolve("@todo/contracts/events", { paths: [${JSON.stringify(join(out, "dist", service, "src"))}] });
          process.stdout.write(JSON.stringify({ p: require("node:fs").realpathSync(p), types: require(p).eventTypes.length }))`;
        const loaded = JSON.parse(execFileSync(process.execPath, ["-e", load], { env: { ...process.env, NODE_PATH: join(servicesDir, "node_modules") } }).toString());
        assert.equal(loaded.p, realpathSync(join(out, "dist", "contracts", "src", "events.js")));
        assert.ok(loaded.types > 5, "the compiled event catalog loads");
        assert.ok(!existsSync(join(out, "dist", ".tsbuildinfo")));
        if (service === "backend") assert.ok(existsSync(join(out, "dist", "backend", "src", "migrations")), "compiled migrations ship");
        if (service === "frontend") {
          // The web root the compiled frontend computes from dist/frontend/src, as it will in the image.
          const config = join(out, "dist", "frontend", "src", "config.js");
          const webRoot = execFileSync(process.execPath, ["-e", `process.stdout.write(require(${JSON.stringify(config)}).frontendConfigSchema.shape.WEB_ROOT.parse(undefined))`], {
            env: { ...process.env, NODE_PATH: join(servicesDir, "node_modules") },
          }).toString();
          assert.equal(resolve(webRoot), resolve(out, "frontend", "web-dist"));
          assert.ok(existsSync(join(webRoot, "index.html")), "the Vite build is where the frontend serves it from");
        }
      } finally {
        rmSync(ctx, { recursive: true, force: true });
      }
    });
  }
});
