import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { evaluate, formatViolation } from "./rules";
import { noPlainSecrets, plainSecretConfigKeys } from "./rules/plain-secrets";
import type { PolicyResource, Violation } from "./rules/types";

/**
 * The policy pack applied without the Pulumi CLI (`npm run render`): the same rules over the resources
 * the program registered under mocks (secrets unwrapped, as the policy engine hands them to a pack),
 * plus what only a file can show — a secret written in plain text into Pulumi.<stack>.yaml.
 */
export function offlineViolations(resources: readonly PolicyResource[], stackFile?: { path: string; text: string }): Violation[] {
  const violations = evaluate(resources);
  if (stackFile) {
    const doc = (parse(stackFile.text) ?? {}) as { config?: Record<string, unknown> };
    for (const key of plainSecretConfigKeys(doc.config ?? {})) {
      violations.push({ policy: noPlainSecrets.name, resource: stackFile.path, message: `${key} is a secret in plain text: set it with \`pulumi config set --secret\`` });
    }
  }
  return violations;
}

export function readStackFile(path: string): { path: string; text: string } {
  return { path, text: readFileSync(path, "utf8") };
}

/** The lines `npm run render` prints: one per violation, then a summary; exit code 1 when any. */
export function policyReport(violations: readonly Violation[], resourceCount: number): { lines: string[]; exitCode: number } {
  const summary = `policies: ${resourceCount} resources checked, ${violations.length} violation${violations.length === 1 ? "" : "s"}`;
  return { lines: [...violations.map(formatViolation), summary], exitCode: violations.length ? 1 : 0 };
}
