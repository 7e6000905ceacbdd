/** A resource as a policy sees it: its type token, its name and its inputs (secrets unwrapped). */
export interface PolicyResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

/** One broken rule: which policy, which resource, what is wrong. */
export interface Violation {
  policy: string;
  /** `<type> <name>`, or `stack` for a rule over the whole stack. */
  resource: string;
  message: string;
}

/** A rule over one resource at a time: the messages of everything it finds wrong (none: it passes). */
export interface ResourceRule {
  name: string;
  description: string;
  check(resource: PolicyResource): string[];
}

/** A rule over every resource of the stack at once (the budget). */
export interface StackRule {
  name: string;
  description: string;
  check(resources: readonly PolicyResource[]): Array<{ resource?: PolicyResource; message: string }>;
}

export const resourceLabel = (r: Pick<PolicyResource, "type" | "name">) => `${r.type} ${r.name}`;

/** Type tokens compared without case: pulumi-oci registers `oci:Core/…`, tests and docs often write `oci:core/…`. */
export const isType = (r: PolicyResource, ...types: string[]) => types.some((t) => t.toLowerCase() === r.type.toLowerCase());
