import { isType, type PolicyResource } from "./types";

export interface Container {
  name?: string;
  image?: string;
  env?: Array<{ name?: string; value?: unknown; valueFrom?: unknown }>;
  resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}

export interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers?: Container[];
  initContainers?: Container[];
}

type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), o);

/** Kinds that run pods, where their pod template is, and whether they run for good (so need probes). */
const POD_TEMPLATES: Array<{ type: string; path: string[]; longRunning: boolean }> = [
  { type: "kubernetes:apps/v1:Deployment", path: ["spec", "template", "spec"], longRunning: true },
  { type: "kubernetes:apps/v1:StatefulSet", path: ["spec", "template", "spec"], longRunning: true },
  { type: "kubernetes:apps/v1:DaemonSet", path: ["spec", "template", "spec"], longRunning: true },
  { type: "kubernetes:apps/v1:ReplicaSet", path: ["spec", "template", "spec"], longRunning: true },
  { type: "kubernetes:batch/v1:Job", path: ["spec", "template", "spec"], longRunning: false },
  { type: "kubernetes:batch/v1:CronJob", path: ["spec", "jobTemplate", "spec", "template", "spec"], longRunning: false },
  { type: "kubernetes:core/v1:Pod", path: ["spec"], longRunning: false },
];

export interface Workload {
  pod: PodSpec;
  longRunning: boolean;
  /** Every container, init containers included, each with what to call it in a message. */
  containers: Array<{ container: Container; label: string; init: boolean }>;
}

/** The pod spec of a workload resource, or undefined for anything that runs no pods. */
export function workloadOf(resource: PolicyResource): Workload | undefined {
  const kind = POD_TEMPLATES.find((k) => isType(resource, k.type));
  if (!kind) return undefined;
  const pod = (get(resource.props, ...kind.path) ?? {}) as PodSpec;
  const containers = [
    ...(pod.initContainers ?? []).map((c) => ({ container: c, label: `init container ${c.name ?? "(unnamed)"}`, init: true })),
    ...(pod.containers ?? []).map((c) => ({ container: c, label: `container ${c.name ?? "(unnamed)"}`, init: false })),
  ];
  return { pod, longRunning: kind.longRunning, containers };
}
