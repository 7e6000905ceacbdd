/** The labels every object of the system carries (Kubernetes recommended labels), in one place. */
export const PART_OF = "todo-platform";
export const MANAGED_BY = "pulumi";
/** `app.kubernetes.io/part-of` + `managed-by`, which every object the program creates carries. */
export const commonLabels: Readonly<Record<string, string>> = Object.freeze({ "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": MANAGED_BY });
