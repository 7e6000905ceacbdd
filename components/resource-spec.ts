/**
 * CPU and memory of one container as Kubernetes quantities (`100m`, `128Mi`, `1Gi`). Declared here,
 * where the components that set them live; stacks/config.ts checks its zod schema against this type,
 * so the arrow points from the stack to the components and never back.
 */
export interface ResourceSpec {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}
