import { closedAdminPorts } from "./admin-ports";
import { cloudBudget } from "./budget";
import { pinnedHelmCharts } from "./helm-charts";
import { pinnedImages } from "./images";
import { noPlainSecrets } from "./plain-secrets";
import { resourceLabel, type PolicyResource, type ResourceRule, type StackRule, type Violation } from "./types";
import { containerLimits, containerProbes, nonRootContainers } from "./workload-rules";

export const RESOURCE_RULES: readonly ResourceRule[] = [nonRootContainers, containerLimits, containerProbes, pinnedImages, noPlainSecrets, closedAdminPorts, pinnedHelmCharts];
export const STACK_RULES: readonly StackRule[] = [cloudBudget];

/** Every rule over every resource: what `pulumi preview --policy-pack policy` and `npm run render` both report. */
export function evaluate(resources: readonly PolicyResource[]): Violation[] {
  const violations: Violation[] = [];
  for (const r of resources) {
    for (const rule of RESOURCE_RULES) for (const message of rule.check(r)) violations.push({ policy: rule.name, resource: resourceLabel(r), message });
  }
  for (const rule of STACK_RULES) {
    for (const v of rule.check(resources)) violations.push({ policy: rule.name, resource: v.resource ? resourceLabel(v.resource) : "stack", message: v.message });
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  return `[${v.policy}] ${v.resource}: ${v.message}`;
}
