import assert from "node:assert/strict";
import type * as k8s from "@pulumi/kubernetes";
import { apps, type AppId } from "@todo/contracts/topology";
import { dataNamespacePolicies } from "../../platform/data-namespace-policies";
import { networkPolicies, type NetworkPolicyOptions } from "../namespace-policies";
import { podLabels } from "../workload-manifests";

/*
 * A small NetworkPolicy evaluator (the Kubernetes semantics the policies rely on: a pod selected by a
 * policy of a direction only accepts what one of those policies allows; peers are pods by labels,
 * namespaces by `kubernetes.io/metadata.name`, or IP blocks; no `to`/`from` means any peer). Each flow a
 * real Dapr cluster needs is checked end to end — egress at the source namespace, ingress at the
 * destination — and so are flows that must stay closed.
 */
type Spec = k8s.types.input.networking.v1.NetworkPolicySpec;
interface Endpoint {
  namespace?: string;
  labels?: Record<string, string>;
  /** An address outside the pod network (API server, external broker). */
  external?: boolean;
}
interface Flow {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: "TCP" | "UDP";
}

const matches = (selector: { matchLabels?: Record<string, string> } | undefined, labels: Record<string, string> = {}) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

function peerMatches(peer: Record<string, unknown>, policyNs: string, e: Endpoint): boolean {
  if (peer.ipBlock) return Boolean(e.external);
  if (e.external) return false;
  const nsSel = peer.namespaceSelector as { matchLabels?: Record<string, string> } | undefined;
  const podSel = peer.podSelector as { matchLabels?: Record<string, string> } | undefined;
  const nsOk = nsSel ? matches(nsSel, { "kubernetes.io/metadata.name": e.namespace! }) : e.namespace === policyNs;
  return nsOk && (!podSel || matches(podSel, e.labels));
}

function allowedBy(policies: { metadata: { namespace: string }; spec: Spec }[], dir: "Ingress" | "Egress", self: Endpoint, peer: Endpoint, port: number, protocol: string): boolean {
  const selecting = policies.filter(
    (p) => p.metadata.namespace === self.namespace && (p.spec.policyTypes as string[]).includes(dir) && matches(p.spec.podSelector as never, self.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) => {
    const rules = ((dir === "Ingress" ? p.spec.ingress : p.spec.egress) ?? []) as Record<string, unknown>[];
    return rules.some((rule) => {
      const peers = (rule[dir === "Ingress" ? "from" : "to"] as Record<string, unknown>[] | undefined) ?? [];
      const ports = (rule.ports as { port: number; protocol?: string }[] | undefined) ?? [];
      const peerOk = peers.length === 0 || peers.some((x) => peerMatches(x, p.metadata.namespace, peer));
      const portOk = ports.length === 0 || ports.some((x) => x.port === port && (x.protocol ?? "TCP") === protocol);
      return peerOk && portOk;
    });
  });
}

const opts: NetworkPolicyOptions = {
  namespace: "todo",
  ingressControllerNamespace: "traefik",
  daprNamespace: "dapr-system",
  monitoringNamespace: "monitoring",
  dataNamespace: "todo-data",
  dataPorts: [5432, 6379],
  externalPorts: [9092],
  acmeSolver: true,
};
const policies = [...networkPolicies(opts), ...dataNamespacePolicies("todo-data", "todo", [5432, 6379])] as unknown as { metadata: { namespace: string }; spec: Spec }[];

function allowed(f: Flow): boolean {
  const protocol = f.protocol ?? "TCP";
  return allowedBy(policies, "Egress", f.from, f.to, f.port, protocol) && (f.to.external || allowedBy(policies, "Ingress", f.to, f.from, f.port, protocol));
}

const pod = (id: AppId): Endpoint => ({ namespace: "todo", labels: podLabels(apps.find((a) => a.id === id)!, "t") });
const daprApps = apps.filter((a) => a.dapr).map((a) => a.id);
const in_ = (namespace: string, labels: Record<string, string> = {}): Endpoint => ({ namespace, labels });
const coredns = in_("kube-system", { "k8s-app": "kube-dns" });

describe("app namespace NetworkPolicies (evaluated)", () => {
  it("when any pod resolves a name, then DNS (UDP and TCP 53) to CoreDNS is open", () => {
    for (const a of apps) {
      assert.ok(allowed({ from: pod(a.id), to: coredns, port: 53, protocol: "UDP" }), a.id);
      assert.ok(allowed({ from: pod(a.id), to: coredns, port: 53 }), a.id);
    }
  });

  it("when a sidecar starts, then it reaches sentry 50001, the operator 6500, the scheduler 50006 and the API server", () => {
    for (const id of daprApps) {
      for (const port of [50001, 6500, 50006]) assert.ok(allowed({ from: pod(id), to: in_("dapr-system", { app: "x" }), port }), `${id} → ${port}`);
      for (const port of [6443, 8443, 443]) assert.ok(allowed({ from: pod(id), to: { external: true }, port }), `${id} → apiserver ${port}`);
    }
    assert.equal(allowed({ from: pod("backend"), to: in_("dapr-system"), port: 9090 }), false, "nothing else in dapr-system");
    assert.equal(allowed({ from: pod("frontend"), to: in_("dapr-system"), port: 50001 }), false, "the frontend has no sidecar");
  });

  it("when services invoke each other, then sidecar → sidecar goes over 50002 only, never straight to another pod's app or API port", () => {
    assert.ok(allowed({ from: pod("event-processor"), to: pod("backend"), port: 50002 }));
    assert.ok(allowed({ from: pod("backend"), to: pod("event-processor"), port: 50002 }));
    assert.equal(allowed({ from: pod("event-processor"), to: pod("backend"), port: 3000 }), false);
    assert.equal(allowed({ from: pod("event-processor"), to: pod("backend"), port: 50001 }), false);
    assert.equal(allowed({ from: pod("frontend"), to: pod("backend"), port: 50002 }), false);
  });

  it("when apps use the stores, then PostgreSQL 5432 and Redis 6379 in the data namespace are open (both ends), the frontend's are not", () => {
    for (const id of ["backend", "event-processor", "reminder-scheduler", "notification"] as const) {
      assert.ok(allowed({ from: pod(id), to: in_("todo-data", { "app.kubernetes.io/name": "postgres" }), port: 5432 }), id);
    }
    for (const id of daprApps) assert.ok(allowed({ from: pod(id), to: in_("todo-data", { "app.kubernetes.io/name": "redis" }), port: 6379 }), id);
    assert.equal(allowed({ from: pod("frontend"), to: in_("todo-data"), port: 5432 }), false);
    assert.equal(allowed({ from: in_("default"), to: in_("todo-data"), port: 5432 }), false, "other namespaces stay out of the data namespace");
  });

  it("when the broker is external (Redpanda Cloud), then its port is open to any address and nothing else is", () => {
    assert.ok(allowed({ from: pod("backend"), to: { external: true }, port: 9092 }));
    assert.equal(allowed({ from: pod("backend"), to: { external: true }, port: 80 }), false);
    assert.equal(allowed({ from: pod("frontend"), to: { external: true }, port: 9092 }), false);
  });

  it("when Traefik routes, then it reaches the public services on their app ports and nothing else", () => {
    const traefik = in_("traefik", { "app.kubernetes.io/name": "traefik" });
    for (const a of apps.filter((x) => x.ingressPath || x.extraIngressPaths?.length)) assert.ok(allowed({ from: traefik, to: pod(a.id), port: a.port }), a.id);
    assert.deepEqual(
      apps.filter((a) => allowed({ from: traefik, to: pod(a.id), port: a.port })).map((a) => a.id).sort(),
      ["backend", "frontend", "notification", "websocket"],
    );
    assert.equal(allowed({ from: traefik, to: pod("backend"), port: 50002 }), false);
  });

  it("when Prometheus scrapes, then every app's http port and every sidecar's 9090 are open to the monitoring namespace", () => {
    const prometheus = in_("monitoring", { "app.kubernetes.io/name": "prometheus" });
    for (const a of apps) assert.ok(allowed({ from: prometheus, to: pod(a.id), port: a.port }), a.id);
    for (const id of daprApps) assert.ok(allowed({ from: prometheus, to: pod(id), port: 9090 }), id);
  });

  it("when cert-manager solves HTTP-01, then Traefik reaches the solver pod on 8089", () => {
    const solver = in_("todo", { "acme.cert-manager.io/http01-solver": "true" });
    assert.ok(allowed({ from: in_("traefik"), to: solver, port: 8089 }));
    assert.equal(allowed({ from: in_("default"), to: solver, port: 8089 }), false);
  });
});
