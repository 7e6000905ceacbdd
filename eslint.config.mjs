// One lint config for the whole repository: typescript-eslint's recommended rules everywhere, and
// Pulumi's Output-in-template-literal rules (type-aware) for the Pulumi program.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

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
);
