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
// What the Pulumi program, the domain folders and the web app may take from the services tree: the
// pure, zod-only pieces (no Express, pg, Dapr or jose behind them). The Pulumi program may also take
// services/shared/src/dapr/resources (issue 14: the Dapr custom resources as plain objects built from
// the topology, which the local runtime parses too); it is held as pure as the topology below, and
// belongs with the contracts once they are a package of their own (issue 15 item 1).
const pulumiShared = "shared/src/(contracts(/|$)|topology$|dapr/resources$)";
const pulumiMessage =
  "the Pulumi program takes from services/ only services/shared/src/topology, services/shared/src/contracts/** and services/shared/src/dapr/resources (pure, zod-only).";

const boundaries = [
  restrict(["components/**/*.ts"], [
    { regex: `${climb}stacks(/|$)`, message: "components are built by stacks, never the reverse: declare what both need in components/ (e.g. components/resource-spec.ts)." },
    { regex: `${climb}services/(?!${pulumiShared})`, message: pulumiMessage },
  ]),
  restrict(["stacks/**/*.ts"], [
    { regex: `${climb}services/(?!${pulumiShared})`, message: pulumiMessage },
  ]),
  // The offline-stack runner lives in scripts/render/: tests import it from there, never the reverse.
  restrict(["scripts/**/*.ts", "scripts/**/*.mjs"], [{ regex: `${climb}test(/|$)`, message: "scripts are tooling, tests are not a library: move what both need out of test/." }]),
  ...serviceWings.map((wing) => {
    const others = serviceWings.filter((w) => w !== wing && w !== "shared");
    return restrict([`services/${wing}/src/**/*.ts`], [
      { regex: `${climb}(${others.join("|")})/src(/|$)`, message: `one service's src never imports another's: share it through services/shared/src (contracts for data).` },
    ]);
  }),
  // The web app is bundled for the browser: only the pure shared pieces, never the services' Node glue.
  restrict(["services/frontend/web/**/*.ts", "services/frontend/web/**/*.tsx"], [
    { regex: `${climb}(?!shared/src/(contracts|recurrence)(/|$))[\\w-]+/src(/|$)`, message: "the web app takes from services/ only services/shared/src/contracts/** and services/shared/src/recurrence/**." },
  ]),
  // Pure domain logic: zod, rrule, node:*, its own folder, and the pure shared pieces. `allowed` is a
  // negative lookahead, so the pattern matches every specifier that is none of them.
  restrict(["services/*/src/domain/**/*.ts"], [
    {
      regex: "^(?!(zod|rrule)(/|$)|node:|\\./(?!.*\\.\\.)|(\\.\\./)+shared/src/(contracts|recurrence)(/|$)|(\\.\\./)+shared/src/topology$)",
      message: "domain code imports only zod, rrule, node:*, files of its own domain folder, services/shared/src/contracts/**, services/shared/src/recurrence/** and services/shared/src/topology.",
    },
  ]),
  // What the domain folders, the Pulumi program and the web app are allowed must stay pure itself.
  restrict(["services/shared/src/contracts/**/*.ts"], [
    {
      regex: "^(?!zod(/|$)|node:|\\./(?!.*\\.\\.)|\\.\\./topology$|\\.\\./recurrence(/|$))",
      message: "contracts stay pure: zod, node:*, other contracts, ../topology and ../recurrence only.",
    },
  ]),
  restrict(["services/shared/src/topology.ts"], [{ regex: "^(?!zod(/|$)|node:|\\./contracts/)", message: "the topology stays pure: zod, node:* and contracts only." }]),
  restrict(["services/shared/src/dapr/resources.ts"], [
    { regex: "^(?!zod(/|$)|node:|\\.\\./topology$|\\.\\./contracts(/|$))", message: "the Dapr resource builders stay pure: zod, node:*, ../topology and ../contracts only." },
  ]),
  restrict(["services/shared/src/recurrence/**/*.ts"], [
    { regex: "^(?!(zod|rrule)(/|$)|node:|\\./(?!.*\\.\\.)|\\.\\./contracts(/|$))", message: "recurrence stays pure: zod, rrule, node:*, its own folder and ../contracts only." },
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
        message: "services/shared/src has no catch-all index: import the module that defines the name (e.g. services/shared/src/contracts, services/shared/src/http/errors).",
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
