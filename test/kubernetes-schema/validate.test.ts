import assert from "node:assert/strict";
import { modelModule, validateKubernetesObject } from "./validate";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "todo" },
  spec: {
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "web:1", ports: [{ containerPort: 3000 }] }] } },
  },
};

const subscription = {
  apiVersion: "dapr.io/v2alpha1",
  kind: "Subscription",
  metadata: { name: "s", namespace: "todo" },
  spec: { pubsubname: "pubsub", topic: "task-events", routes: { default: "/events" }, deadLetterTopic: "task-events-deadletter" },
  scopes: ["event-processor"],
};

describe("Kubernetes schema validation", () => {
  it("when a Deployment is well formed, then it passes", async () => {
    assert.deepEqual(await validateKubernetesObject(deployment), []);
  });

  it("when a Deployment's containerPort is a string, then it fails naming the field", async () => {
    const broken = structuredClone(deployment) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    broken.spec.template.spec.containers[0].ports[0].containerPort = "3000";
    const errors = await validateKubernetesObject(broken);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /containerPort/);
  });

  it("when a Deployment lacks its selector, then it fails", async () => {
    const { selector: _s, ...spec } = deployment.spec;
    assert.notDeepEqual(await validateKubernetesObject({ ...deployment, spec }), []);
  });

  it("when a Dapr v2alpha1 Subscription is well formed, then it passes against Dapr's CRD schema", async () => {
    assert.deepEqual(await validateKubernetesObject(subscription), []);
  });

  it("when a Dapr Subscription has no routes (v2alpha1 requires them), then it fails", async () => {
    const { routes: _r, ...spec } = subscription.spec;
    const errors = await validateKubernetesObject({ ...subscription, spec });
    assert.ok(errors.some((e) => /routes/.test(e)), errors.join("\n"));
  });

  it("when a Dapr Component's scopes is a string, then it fails", async () => {
    const component = { apiVersion: "dapr.io/v1alpha1", kind: "Component", metadata: { name: "c" }, spec: { type: "state.postgresql", version: "v1", metadata: [] }, scopes: "backend" };
    assert.ok((await validateKubernetesObject(component)).some((e) => /scopes/.test(e)));
  });

  it("when a PodMonitor has a bad endpoint port type, then the prometheus-operator schema rejects it", async () => {
    const monitor = { apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", metadata: { name: "m" }, spec: { selector: {}, podMetricsEndpoints: [{ port: 9090 }] } };
    assert.notDeepEqual(await validateKubernetesObject(monitor), []);
  });

  it("when a Traefik Middleware is a redirectScheme to https, then it passes; when permanent is not a boolean, the CRD schema rejects it", async () => {
    const middleware = { apiVersion: "traefik.io/v1alpha1", kind: "Middleware", metadata: { name: "redirect-https", namespace: "todo" }, spec: { redirectScheme: { scheme: "https", permanent: true } } };
    assert.deepEqual(await validateKubernetesObject(middleware), []);
    const errors = await validateKubernetesObject({ ...middleware, spec: { redirectScheme: { scheme: "https", permanent: "yes" } } });
    assert.ok(errors.some((e) => /redirectScheme\/permanent/.test(e)), errors.join("\n"));
  });

  it("when a kind has no known schema, then it is an error rather than a silent pass", async () => {
    const errors = await validateKubernetesObject({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } });
    assert.match(errors[0], /no schema known/);
  });

  it("when the group is core, apps or a *.k8s.io group, then kubernetes-models is used", () => {
    assert.equal(modelModule("v1", "Secret"), "kubernetes-models/v1/Secret");
    assert.equal(modelModule("networking.k8s.io/v1", "Ingress"), "kubernetes-models/networking.k8s.io/v1/Ingress");
    assert.equal(modelModule("cert-manager.io/v1", "ClusterIssuer"), "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer");
    assert.equal(modelModule("traefik.io/v1alpha1", "Middleware"), "@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware");
  });
});
