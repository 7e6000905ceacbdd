// One lint config for the whole repository: typescript-eslint's recommended rules everywhere, and
// Pulumi's Output-in-template-literal rules (type-aware) for the Pulumi program.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/*
 * Boundaries between the wings (issue 15), as `no-restricted-imports` patterns. Imports here are
 * relative, so each pattern is a regular expression over the specifier as written; `(\.\./)+` climbs
 * any depth (a specifier that climbs to a folder that does not exist fails the typecheck anyway).
 * Flat config replaces a rule's options per matching block instead of merging them, so every file
 * gets its restrictions from exactly one block below: the narrower blocks come later and repeat
 * whatever of the wider ones still applies. test/repository/import-boundaries.test.ts proves each bites.
 */
const climb = "^(\\.\\./)+";
const restrict = (files, patterns, ignores) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: { "no-restricted-imports": ["error", { patterns }] },
});
// Every folder of services/ with a src/ is one wing (a new service is covered without editing this file).
const serviceWings = readdirSync(join(import.meta.dirname, "services"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(import.meta.dirname, "services", d.name, "src")))
  .map((d) => d.name);
// services/contracts is a package (issue 15 item 1): everyone imports it by name, so a relative path into
// it is refused everywhere (its own files import each other as ./<module>).
const byName = {
  regex: "^\\.{1,2}/(.*/)?contracts/src(/|$)|^(\\.\\./)+(services/)?contracts(/|$)",
  message: "the contracts are a package: import them by name, @todo/contracts/<module>.",
};
// The root package (Pulumi program, scripts, tests, policy pack) never climbs into services/: it takes the
// contracts by name, and the root tooling takes the few services modules it drives (the local runtime,
// the backup CLI, the test database…) through package.json "imports" (#services/…), the one list of them.
const rootToServices = {
  regex: `${climb}services/`,
  message: 'the root takes from services/ only by name: @todo/contracts/<module>, or a "#services/…" entry of package.json "imports".',
};
const pulumiToServices = {
  regex: "^#services/",
  message: "the Pulumi program takes from services/ only @todo/contracts/<module> (pure, zod-only): the #services/ entries are tooling.",
};
const noStacks = {
  regex: `${climb}stacks(/|$)`,
  message: "components are built by stacks, never the reverse: declare what both need in components/ (e.g. components/resource-spec.ts).",
};

const boundaries = [
  restrict(["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.mjs"], [byName]),
  restrict(["components/**/*.ts"], [noStacks, rootToServices, pulumiToServices, byName], ["components/**/test/**"]),
  // Component tests may drive the tooling entries (a test database), never the stack program.
  restrict(["components/**/test/**/*.ts"], [noStacks, rootToServices, byName]),
  restrict(["stacks/**/*.ts"], [rootToServices, pulumiToServices, byName]),
  // The offline-stack runner lives in scripts/render/: tests import it from there, never the reverse.
  restrict(["scripts/**/*.ts", "scripts/**/*.mjs"], [
    { regex: `${climb}test(/|$)`, message: "scripts are tooling, tests are not a library: move what both need out of test/." },
    rootToServices,
    byName,
  ]),
  restrict(["test/**/*.ts", "policy/**/*.ts"], [rootToServices, byName]),
  ...serviceWings.map((wing) => {
    const others = serviceWings.filter((w) => w !== wing && w !== "shared");
    return restrict([`services/${wing}/src/**/*.ts`], [
      { regex: `${climb}(${others.join("|")})/src(/|$)`, message: `one service's src never imports another's: share it through services/shared/src, or @todo/contracts for data.` },
      byName,
    ]);
  }),
  // The web app is bundled for the browser: only the pure pieces, never the services' Node glue.
  restrict(["services/frontend/web/**/*.ts", "services/frontend/web/**/*.tsx"], [
    { regex: `${climb}(?!shared/src/recurrence(/|$))[\\w-]+/src(/|$)`, message: "the web app takes from services/ only @todo/contracts/<module> and services/shared/src/recurrence/**." },
    byName,
  ]),
  // Pure domain logic: zod, rrule, node:*, its own folder, the contracts and the recurrence module.
  // `allowed` is a negative lookahead, so the pattern matches every specifier that is none of them.
  restrict(["services/*/src/domain/**/*.ts"], [
    {
      regex: "^(?!(zod|rrule)(/|$)|node:|@todo/contracts/|\\./(?!.*\\.\\.)|(\\.\\./)+shared/src/recurrence(/|$))",
      message: "domain code imports only zod, rrule, node:*, files of its own domain folder, @todo/contracts/<module> and services/shared/src/recurrence/**.",
    },
  ]),
  // What the domain folders, the Pulumi program and the web app are allowed must stay pure itself.
  restrict(["services/contracts/src/**/*.ts"], [
    { regex: "^(?!zod(/|$)|node:|\\./(?!.*\\.\\.))", message: "the contracts stay pure: zod, node:* and other contracts (./<module>) only." },
  ]),
  // Its own tests use it as everyone else does, by name.
  restrict(["services/contracts/test/**/*.ts"], [{ regex: "^(\\.\\./)+src(/|$)", message: byName.message }, byName]),
  restrict(["services/shared/src/recurrence/**/*.ts"], [
    { regex: "^(?!(zod|rrule)(/|$)|node:|\\./(?!.*\\.\\.)|@todo/contracts/)", message: "recurrence stays pure: zod, rrule, node:*, its own folder and @todo/contracts only." },
  ]),
];

/*
 * No catch-all (issue 15 item 3): services/shared/src has no index re-exporting contracts together with
 * the Express/pg/Dapr/jose glue, so loading a contract never loads the glue. An import names the module
 * it needs. Its own rule (`no-restricted-syntax`), so the `no-restricted-imports` blocks above keep
 * their one-block-per-file options. esquery regexes cannot hold "/", hence \x2F.
 */
const sharedIndexSource = "/(^|\\x2F)shared\\x2Fsrc(\\x2Findex(\\.[cm]?[jt]sx?)?)?$/";
const noSharedIndex = {
  files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.mjs"],
  rules: {
    "no-restricted-syntax": [
      "error",
      ...["ImportDeclaration", "ExportAllDeclaration", "ExportNamedDeclaration", "ImportExpression"].map((node) => ({
        selector: `${node}[source.value=${sharedIndexSource}]`,
        message: "services/shared/src has no catch-all index: import the module that defines the name (e.g. @todo/contracts/events, services/shared/src/http/errors).",
      })),
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "services/frontend/web-dist/**",
      "services/.data/**",
      "bin/**",
      "render/**",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["stacks/**/*.ts", "components/**/*.ts"],
    ignores: ["**/test/**"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { pulumi },
    rules: {
      "pulumi/no-output-in-template-literal": "error",
      "pulumi/no-output-instance-in-template-literal": "error",
    },
  },
  {
    files: ["**/*.mjs", "scripts/**/*.ts"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setInterval: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
  },
  ...boundaries,
  noSharedIndex,
);
