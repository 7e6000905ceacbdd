import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";

/*
 * The import boundaries of issue 15 are ESLint rules in eslint.config.mjs. These tests lint one-line
 * snippets as if they were files inside each folder, with the repository's own config, and check that
 * a crossing import is an error and an allowed one is not — so a rule that stops matching (a typo in a
 * pattern, a later config block silently replacing an earlier one) fails here, not in review.
 */
const root = join(__dirname, "..", "..");

// Only the boundary rule runs, and without type information (the probe files do not exist on disk).
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports",
});

async function boundaryErrors(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from "${specifier}";\nexport const y = x;\n`, { filePath: join(root, filePath) });
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `${filePath} did not parse`);
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

async function assertRefused(filePath: string, specifier: string, reason: RegExp) {
  const errors = await boundaryErrors(filePath, specifier);
  assert.equal(errors.length, 1, `${filePath}: import of "${specifier}" should be refused, got ${JSON.stringify(errors)}`);
  assert.match(errors[0], reason);
}

async function assertAllowed(filePath: string, specifier: string) {
  assert.deepEqual(await boundaryErrors(filePath, specifier), [], `${filePath}: import of "${specifier}" should be allowed`);
}

const serviceWings = readdirSync(join(root, "services"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, "services", d.name, "src")))
  .map((d) => d.name);

// The no-catch-all rule is its own rule (no-restricted-syntax), so it is linted separately.
const catchAllLint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === "no-restricted-syntax",
});

async function catchAllErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await catchAllLint.lintText(source, { filePath: join(root, filePath) });
  assert.deepEqual(result.messages.filter((m) => m.fatal), [], `${filePath} did not parse`);
  return result.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

describe("no catch-all index of services/shared/src (eslint.config.mjs, issue 15 item 3)", function () {
  this.timeout(60_000);

  it("when any file imports or re-exports services/shared/src itself, then ESLint refuses it; a module under it is fine", async () => {
    const refused = [
      ["services/backend/src/probe.ts", `import { x } from "../../shared/src";\nexport const y = x;\n`],
      ["services/backend/src/routes/probe.ts", `import type { X } from "../../../shared/src/index";\nexport type Y = X;\n`],
      ["services/websocket/test/probe.test.ts", `export * from "../../shared/src/index.ts";\n`],
      ["services/notification/src/probe.ts", `export { x } from "../../shared/src";\n`],
      ["test/faults/probe.ts", `export const m = import("../../services/shared/src");\n`],
      ["scripts/probe.mjs", `import { x } from "../services/shared/src/index.js";\nexport const y = x;\n`],
    ];
    for (const [file, source] of refused) {
      const errors = await catchAllErrors(file, source);
      assert.equal(errors.length, 1, `${file}: ${source} should be refused, got ${JSON.stringify(errors)}`);
      assert.match(errors[0], /no catch-all index/);
    }
    for (const specifier of ["../../shared/src/db/pool", "../../shared/src/http/errors", "../../shared/src/recurrence", "../../shared/src-extras", "./shared/srcs"]) {
      assert.deepEqual(await catchAllErrors("services/backend/src/probe.ts", `import { x } from "${specifier}";\nexport const y = x;\n`), [], specifier);
    }
  });

  it("when the repository is read, then services/shared/src has no index file", () => {
    for (const name of ["index.ts", "index.js", "index.mts"]) assert.equal(existsSync(join(root, "services", "shared", "src", name)), false, name);
  });
});

describe("import boundaries (eslint.config.mjs)", function () {
  this.timeout(60_000);

  it("when a component imports from stacks/, then ESLint refuses it; its own folder and components/resource-spec are fine", async () => {
    await assertRefused("components/app/probe.ts", "../../stacks/config", /components are built by stacks/);
    await assertRefused("components/app/test/probe.test.ts", "../../../stacks/config", /components are built by stacks/);
    await assertRefused("components/probe.ts", "../stacks/index", /components are built by stacks/);
    await assertAllowed("components/app/probe.ts", "../resource-spec");
    await assertAllowed("components/platform/probe.ts", "./postgres");
    // test/stacks is the test harness, not the stack program.
    await assertAllowed("components/cluster/test/probe.test.ts", "../../../test/stacks/cloud-cluster-mocks");
  });

  it("when the Pulumi program imports services/ other than by the contracts' name, then ESLint refuses it", async () => {
    for (const [file, up] of [
      ["components/app/probe.ts", "../../"],
      ["stacks/probe.ts", "../"],
    ]) {
      await assertRefused(file, `${up}services/shared/src/auth/tokens`, /only by name/);
      await assertRefused(file, `${up}services/shared/src`, /only by name/);
      await assertRefused(file, `${up}services/backend/src/config`, /only by name/);
      assert.ok((await boundaryErrors(file, `${up}services/contracts/src/topology`)).some((e) => /only by name/.test(e)));
      await assertRefused(file, "#services/local-runtime", /the #services\/ entries are tooling/);
      await assertAllowed(file, "@todo/contracts/topology");
      await assertAllowed(file, "@todo/contracts/secret-names");
      await assertAllowed(file, "@todo/contracts/dapr-resources");
    }
    await assertAllowed("stacks/probe.ts", "../components/resource-spec");
    // A component's test may use the tooling entries (e.g. the test database).
    await assertAllowed("components/backup/test/probe.test.ts", "#services/testing/database");
  });

  it("when anything imports the contracts by a relative path, then ESLint refuses it; by name is fine", async () => {
    for (const [file, specifier] of [
      ["services/backend/src/probe.ts", "../../contracts/src/topology"],
      ["services/backend/src/domain/probe.ts", "../../../contracts/src/events"],
      ["services/frontend/web/src/probe.ts", "../../../contracts/src/frames"],
      ["services/backend/test/probe.test.ts", "../../contracts/src/task"],
      ["services/contracts/test/probe.test.ts", "../src/task"],
      ["services/runtime/src/probe.ts", "../../contracts"],
      ["test/stacks/probe.test.ts", "../../services/contracts/src/topology"],
      ["scripts/probe.ts", "../services/contracts/src/topology"],
    ]) {
      const errors = await boundaryErrors(file, specifier);
      assert.ok(errors.length >= 1 && errors.some((e) => /import them by name, @todo\/contracts|only by name|domain code imports only/.test(e)), `${file}: "${specifier}" should be refused, got ${JSON.stringify(errors)}`);
    }
    for (const file of ["services/backend/src/probe.ts", "services/backend/src/domain/probe.ts", "services/frontend/web/src/probe.ts", "test/faults/probe.test.ts", "scripts/probe.ts", "components/app/probe.ts"]) {
      await assertAllowed(file, "@todo/contracts/events");
    }
  });

  it("when a root script or test climbs into services/, then ESLint refuses it; the #services/ entries are fine", async () => {
    await assertRefused("scripts/bench/probe.ts", "../../services/shared/src/db/pool", /only by name/);
    await assertRefused("test/faults/probe.test.ts", "../../services/runtime/src/local-runtime", /only by name/);
    await assertRefused("policy/probe.ts", "../services/shared/src/topology", /only by name/);
    await assertAllowed("test/faults/probe.test.ts", "#services/local-runtime");
    await assertAllowed("scripts/probe.ts", "#services/backup-cli");
  });

  it("when a script imports from test/, then ESLint refuses it, scripts/render.ts included; tests may import scripts", async () => {
    await assertRefused("scripts/probe.ts", "../test/stacks/offline-stack", /tests are not a library/);
    await assertRefused("scripts/bench/probe.ts", "../../test/faults/support/fault-runtime", /tests are not a library/);
    await assertAllowed("scripts/bench/probe.ts", "@todo/contracts/topology");
    await assertRefused("scripts/render.ts", "../test/stacks/offline-stack", /tests are not a library/);
    await assertAllowed("test/stacks/probe.test.ts", "../../scripts/render/offline-stack");
  });

  it("when one service's src imports another service's src, then ESLint refuses it, for every wing; services/shared/src is fine", async () => {
    assert.ok(serviceWings.includes("backend") && serviceWings.includes("shared") && serviceWings.length >= 7, serviceWings.join());
    // services/contracts is a package with rules of its own (below): it imports no wing at all.
    for (const wing of serviceWings.filter((w) => w !== "contracts")) {
      const other = wing === "backend" ? "websocket" : "backend";
      await assertRefused(`services/${wing}/src/probe.ts`, `../../${other}/src/config`, /one service's src never imports another's/);
      await assertRefused(`services/${wing}/src/deep/er/probe.ts`, `../../../../${other}/src`, /one service's src never imports another's/);
      if (wing !== "shared") await assertAllowed(`services/${wing}/src/probe.ts`, "../../shared/src/http/errors");
      await assertAllowed(`services/${wing}/src/deep/probe.ts`, "../config");
    }
    // A service's own tests may start another service in-process.
    await assertAllowed("services/backend/test/probe.test.ts", "../../event-processor/src/event-processor-service");
  });

  it("when a domain file imports anything but zod, rrule, node:*, its own folder, the contracts and recurrence, then ESLint refuses it", async () => {
    const file = "services/backend/src/domain/probe.ts";
    for (const specifier of ["../../../shared/src", "../../../shared/src/http/errors", "../data/tasks", "../../../event-processor/src/domain/dead-letter", "express", "pg", "./../data/tasks", "@todo/contracts-extras"]) {
      await assertRefused(file, specifier, /domain code imports only/);
    }
    for (const specifier of ["zod", "rrule", "node:crypto", "./task-input", "@todo/contracts/task", "@todo/contracts/topology", "../../../shared/src/recurrence"]) {
      await assertAllowed(file, specifier);
    }
    await assertRefused("services/event-processor/src/domain/probe.ts", "../../../shared/src", /domain code imports only/);
  });

  it("when a contracts or recurrence file imports service glue, then ESLint refuses it", async () => {
    await assertRefused("services/contracts/src/probe.ts", "../../shared/src/db/pool", /contracts stay pure/);
    await assertRefused("services/contracts/src/probe.ts", "express", /contracts stay pure/);
    await assertRefused("services/contracts/src/probe.ts", "rrule", /contracts stay pure/);
    await assertRefused("services/contracts/src/topology.ts", "../../shared/src/telemetry/logger", /contracts stay pure/);
    await assertAllowed("services/contracts/src/probe.ts", "./task");
    await assertAllowed("services/contracts/src/dapr-resources.ts", "./topology");
    await assertAllowed("services/contracts/src/probe.ts", "zod");
    await assertAllowed("services/contracts/src/probe.ts", "node:crypto");
    await assertRefused("services/shared/src/recurrence/probe.ts", "../dapr/jobs", /recurrence stays pure/);
    await assertAllowed("services/shared/src/recurrence/probe.ts", "rrule");
    await assertAllowed("services/shared/src/recurrence/probe.ts", "@todo/contracts/safe-text");
  });

  it("when the web app imports a service's Node code, then ESLint refuses it; contracts and recurrence are fine", async () => {
    const file = "services/frontend/web/src/api/probe.ts";
    await assertRefused(file, "../../../../shared/src/db/pool", /the web app takes from services\/ only/);
    await assertRefused(file, "../../../../backend/src/config", /the web app takes from services\/ only/);
    await assertAllowed(file, "@todo/contracts/task");
    await assertAllowed(file, "../../../../shared/src/recurrence");
    await assertAllowed(file, "./client");
  });
});
