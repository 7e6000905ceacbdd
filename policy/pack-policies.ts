import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RESOURCE_RULES, STACK_RULES } from "./rules";
import type { PolicyResource } from "./rules/types";

/**
 * The rules of rules/ as @pulumi/policy policies, every one mandatory (a violation fails the preview).
 * The engine hands a policy the resource's inputs with secrets unwrapped — the shape the rules take.
 */
export function packPolicies(): Policy[] {
  const resourcePolicies: ResourceValidationPolicy[] = RESOURCE_RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      for (const message of rule.check({ type: args.type, name: args.name, props: args.props })) reportViolation(message);
    },
  }));
  const stackPolicies: StackValidationPolicy[] = STACK_RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
      const byResource = new Map<PolicyResource, string>();
      const resources = args.resources.map((r) => {
        const resource = { type: r.type, name: r.name, props: r.props };
        byResource.set(resource, r.urn);
        return resource;
      });
      for (const v of rule.check(resources)) reportViolation(v.message, v.resource ? byResource.get(v.resource) : undefined);
    },
  }));
  return [...resourcePolicies, ...stackPolicies];
}
