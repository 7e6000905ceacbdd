// The local stack under Pulumi mocks (Pulumi.local.yaml as a user has it): inventory and properties
// of what `pulumi up -s local` would create, schema validation of every Kubernetes object, and no
// secret in clear anywhere in the plan.
import assert from "node:assert/strict";
import { apps, subscriptions, cronBindings } from "@todo/contracts/topology";
import { APP_HEALTH_CHECK, REDIS_STREAM_SETTINGS } from "@todo/contracts/dapr-resources";
import { validateKubernetesObject } from "../kubernetes-schema/validate";
import { helmReleases, kubernetesObjects, MOCK_SECRET_PREFIX, redactSecrets, revealSecrets, type OfflineStack, type RecordedResource } from "../../scripts/render/offline-stack";

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are inspected structurally */
type Obj = Record<string, any>;

describe("local stack (Minikube) under mocks", () => {
  let stack: OfflineStack;
  let objects: Obj[];
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const one = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
    assert.ok(found, `${kind} ${name} exists`);
    return found;
  };
  const resource = (pred: (r: RecordedResource) => boolean) => {
    const found = stack.resources.find(pred);
    assert.ok(found);
    return found;
  };
  const byUrn = (urn: string) => stack.resources.find((r) => r.urn === urn);

  before(async () => {
    const { runOfflineStack } = await import("../../scripts/render/offline-stack.js");
    stack = await runOfflineStack("local");
    objects = kubernetesObjects(stack.resources).map((k) => revealSecrets(k.object) as Obj);
  });

  it("when the stack runs, then a Minikube profile is started and deleted by the stack and feeds the provider", () => {
    const start = resource((r) => r.type === "command:local:Command" && r.name === "cluster-start");
    assert.match(String(start.inputs.create), /^minikube start -p 'todo-platform' --driver='docker' --cpus=4 --memory=8192mb --kubernetes-version='v1\.33\.1' --cni='calico' --addons='metrics-server'/);
    assert.equal(start.inputs.delete, "minikube delete -p 'todo-platform'");
    assert.deepEqual(start.inputs.interpreter, ["bash", "-c"], "through bash on every OS (pulumi-command defaults to cmd /C on Windows)");
    assert.equal(start.options.deleteBeforeReplace, true);
    const provider = resource((r) => r.type === "pulumi:providers:kubernetes");
    assert.ok(provider.dependencies.includes(start.urn));
    assert.equal(provider.inputs.kubeconfig && (provider.inputs.kubeconfig as Obj)["4dabf18193072939515e22adb298388d"] !== undefined, true, "kubeconfig is a secret");
  });

  it("when the kubeconfig is read, then it is an invoke run on every up (never a Command whose stdout is logged or frozen in the state)", () => {
    // The old `cluster-kubeconfig` Command ran once (stale after a restart moved the API port) and
    // printed the client key in the `pulumi up` log.
    assert.equal(stack.resources.some((r) => /kubeconfig/.test(r.name) && r.type.startsWith("command:")), false);
    const provider = resource((r) => r.type === "pulumi:providers:kubernetes");
    assert.match(String(revealSecrets(provider.inputs.kubeconfig)), /client-key-data/, "the provider gets the re-read kubeconfig");
  });

  it("when the provider is configured, then clusterIdentifier pins it to the profile's lifetime and deleteUnreachable lets destroy pass a stopped profile", () => {
    const start = resource((r) => r.name === "cluster-start");
    const provider = resource((r) => r.type === "pulumi:providers:kubernetes");
    // pulumi-kubernetes DiffConfig: an unchanged clusterIdentifier turns a changed kubeconfig into an update.
    assert.equal(provider.inputs.clusterIdentifier, `minikube/todo-platform/${start.name}-id`);
    assert.equal(provider.inputs.deleteUnreachable, "true");
  });

  it("when the stack is destroyed, then every in-cluster resource is deletedWith the profile (no one-by-one deletes, no Helm delete on a stopped cluster)", () => {
    const start = resource((r) => r.name === "cluster-start");
    const inCluster = stack.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    assert.ok(inCluster.length > 50);
    for (const r of inCluster) assert.equal(r.options.deletedWith, start.urn, `${r.type} ${r.name}`);
    assert.ok(helmReleases(stack.resources).every((r) => !r.options.retainOnDelete), "retainOnDelete would also skip deletes on replacement/removal");
    // Helm releases are replaced only on a new name/namespace (pulumi-kubernetes helm_release.go Diff
    // forceNewFields ".name", ".namespace"): fixed strings here.
    for (const r of helmReleases(stack.resources)) assert.equal(typeof r.inputs.name, "string");
  });

  it("when cpus or memoryMb change, then the profile is recreated on purpose (minikube start would only warn and keep the old size)", () => {
    const start = resource((r) => r.name === "cluster-start");
    assert.deepEqual(start.inputs.triggers, ["todo-platform", "docker", "v1.33.1", "calico", 4, 8192]);
  });

  it("when the stack runs, then one image per service is built in Minikube with a content-hash tag", () => {
    const builds = stack.resources.filter((r) => r.type === "command:local:Command" && r.name.startsWith("app-image-"));
    assert.equal(builds.length, 6);
    for (const a of apps) {
      const b = builds.find((x) => x.name === `app-image-${a.id}-build`)!;
      assert.match(String(b.inputs.create), new RegExp(`^minikube -p 'todo-platform' image build -t 'todo-platform/${a.id}:[a-f0-9]{12}' --build-opt 'build-arg=SERVICE=${a.id}' -f Dockerfile \\. && \\{ minikube -p 'todo-platform' image ls `));
      const tag = /:([a-f0-9]{12})'/.exec(String(b.inputs.create))![1];
      assert.deepEqual(b.inputs.triggers, [tag]);
      assert.deepEqual(b.inputs.interpreter, ["bash", "-c"], "quotes and || true need bash, not cmd /C");
      assert.ok(b.dependencies.includes(resource((r) => r.type === "pulumi:providers:kubernetes").urn), "minikube image build runs once the profile is up");
      assert.equal(one("Deployment", a.id).spec.template.spec.containers[0].image, `todo-platform/${a.id}:${tag}`);
    }
  });

  it("when the stack runs, then six Deployments exist, the five Dapr apps annotated for their sidecar, the frontend without", () => {
    const deployments = ofKind("Deployment").filter((d) => d.metadata.namespace === "todo");
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), apps.map((a) => a.id).sort());
    for (const a of apps) {
      const d = one("Deployment", a.id);
      const ann = d.spec.template.metadata.annotations;
      if (!a.dapr) {
        assert.equal(ann["dapr.io/enabled"], undefined, "frontend serves static files: no sidecar");
        continue;
      }
      assert.equal(ann["dapr.io/enabled"], "true");
      assert.equal(ann["dapr.io/enable-app-health-check"], "true", "daprd pauses delivery while the app is unhealthy");
      assert.equal(ann["dapr.io/app-health-check-path"], APP_HEALTH_CHECK.path);
      assert.equal(ann["dapr.io/app-health-threshold"], String(APP_HEALTH_CHECK.threshold));
      assert.equal(ann["dapr.io/app-id"], a.id);
      assert.equal(ann["dapr.io/app-port"], String(a.port));
      assert.equal(ann["dapr.io/config"], "todo-dapr-config");
      assert.equal(ann["dapr.io/enable-metrics"], "true");
      for (const k of ["sidecar-cpu-request", "sidecar-cpu-limit", "sidecar-memory-request", "sidecar-memory-limit"]) assert.ok(ann[`dapr.io/${k}`], k);
    }
  });

  it("when a Deployment is rendered, then it has probes, limits, a restricted securityContext and IfNotPresent pulls", () => {
    for (const a of apps) {
      const pod = one("Deployment", a.id).spec.template.spec;
      const c = pod.containers[0];
      assert.equal(c.livenessProbe.httpGet.path, "/healthz");
      assert.equal(c.readinessProbe.httpGet.path, "/readyz");
      assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory);
      assert.equal(c.imagePullPolicy, "IfNotPresent");
      assert.deepEqual(c.securityContext, {
        runAsNonRoot: true,
        runAsUser: 1000,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      assert.deepEqual(c.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(c.ports[0].containerPort, a.port);
      assert.equal(c.env.find((e: Obj) => e.name === "PORT").value, String(a.port));
      const db = c.env.find((e: Obj) => e.name === "DATABASE_URL");
      if (a.id === "websocket" || a.id === "frontend") assert.equal(db, undefined);
      else assert.deepEqual(db.valueFrom, { secretKeyRef: { name: "database", key: "url" } });
      assert.equal(one("Deployment", a.id).metadata.labels["app.kubernetes.io/part-of"], "todo-platform");
    }
  });

  it("when a public app's pod stops, then it keeps serving until Traefik has seen its endpoint go, within the grace period", () => {
    const shutdownS = Number(one("ConfigMap", "todo-service-config").data.SHUTDOWN_TIMEOUT_S);
    for (const a of apps) {
      const pod = one("Deployment", a.id).spec.template.spec;
      const preStop = pod.containers[0].lifecycle?.preStop;
      if (a.ingressPath || a.extraIngressPaths?.length) {
        // Traefik applies provider changes at most every 2 s (v3.5.3 providersThrottleDuration)
        assert.ok(preStop?.sleep?.seconds > 2, `${a.id}: a preStop sleep longer than Traefik's 2 s throttle`);
        assert.ok(pod.terminationGracePeriodSeconds >= preStop.sleep.seconds + shutdownS + 5, `${a.id}: the grace period covers the sleep and the drain`);
      } else {
        assert.equal(preStop, undefined, `${a.id} is reached only through its sidecar: nothing to wait for`);
      }
    }
  });

  it("when the stack runs, then backend and event-processor have HPAs and every service a PDB and a Service", () => {
    assert.deepEqual(ofKind("HorizontalPodAutoscaler").map((h) => h.spec.scaleTargetRef.name).sort(), ["backend", "event-processor"]);
    assert.equal(one("HorizontalPodAutoscaler", "backend").spec.maxReplicas, 4);
    assert.equal(ofKind("PodDisruptionBudget").length, 6);
    for (const a of apps) assert.equal(one("Service", a.id).spec.ports[0].port, a.port);
  });

  it("when the stack runs, then the app namespace denies all traffic by default and allows only the needed flows", () => {
    const todoPolicies = ofKind("NetworkPolicy").filter((p) => p.metadata.namespace === "todo");
    const deny = todoPolicies.find((p) => p.metadata.name === "default-deny-all")!;
    assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const ingressAllowed = todoPolicies.filter((p) => p.metadata.name.startsWith("allow-ingress-controller-to-")).map((p) => p.metadata.name.replace("allow-ingress-controller-to-", ""));
    assert.deepEqual(ingressAllowed.sort(), ["backend", "frontend", "notification", "websocket"]);
    const names = todoPolicies.map((p) => p.metadata.name);
    for (const n of ["allow-dns-egress", "allow-dapr-sidecars", "allow-dapr-control-plane", "allow-prometheus-scrape", "allow-data-stores"]) assert.ok(names.includes(n), n);
    const data = one("NetworkPolicy", "allow-data-stores");
    assert.deepEqual(data.spec.egress[0].ports.map((p: Obj) => p.port).sort(), [5432, 6379]);
    assert.ok(one("ResourceQuota", "todo-quota").spec.hard["limits.memory"]);
    assert.ok(one("LimitRange", "todo-limits"));
  });

  it("when the Ingress is rendered, then /api/notifications, /api, /ws and / go to their services through Traefik", () => {
    const ing = one("Ingress", "todo");
    assert.equal(ing.spec.ingressClassName, "traefik");
    assert.equal(ing.spec.rules[0].host, "todo-app.local");
    assert.deepEqual(
      ing.spec.rules[0].http.paths.map((p: Obj) => [p.path, p.backend.service.name]),
      [["/api/notifications", "notification"], ["/api", "backend"], ["/ws", "websocket"], ["/", "frontend"]],
    );
    assert.equal(ing.spec.tls, undefined);
    // No TLS locally, so no HTTPS redirect: plain HTTP on `web` is served.
    assert.deepEqual(ing.metadata.annotations, { "traefik.ingress.kubernetes.io/router.entrypoints": "web" });
    assert.deepEqual(ofKind("Middleware"), []);
  });

  it("when the Dapr resources are rendered, then they match topology.ts (Redis pub/sub, dead letters, cron, per-replica group)", () => {
    const subs = ofKind("Subscription");
    assert.equal(subs.length, subscriptions.length);
    for (const s of subscriptions) {
      const r = one("Subscription", s.name);
      assert.equal(r.apiVersion, "dapr.io/v2alpha1");
      assert.equal(r.spec.topic, s.topic);
      assert.equal(r.spec.routes.default, s.route);
      assert.equal(r.spec.deadLetterTopic, s.deadLetterTopic);
      assert.deepEqual(r.scopes, [s.appId]);
      assert.equal(r.spec.pubsubname, s.perReplica ? "pubsub-per-replica" : "pubsub");
    }
    const pubsub = one("Component", "pubsub");
    assert.equal(pubsub.spec.type, "pubsub.redis");
    for (const c of [pubsub, one("Component", "pubsub-per-replica")]) {
      const m = Object.fromEntries(c.spec.metadata.map((x: Obj) => [x.name, x.value]));
      assert.equal(m.concurrency, String(REDIS_STREAM_SETTINGS.concurrency), "one worker: the stream's order is kept");
      assert.equal(m.maxLenApprox, String(REDIS_STREAM_SETTINGS.maxLenApprox), "the stream is bounded");
    }
    const perReplica = one("Component", "pubsub-per-replica");
    assert.deepEqual(perReplica.spec.metadata.find((m: Obj) => m.name === "consumerID"), { name: "consumerID", value: "{podName}" });
    assert.deepEqual(perReplica.scopes, ["websocket"]);
    assert.equal(stack.resources.filter((r) => r.type.endsWith(":Component")).some((r) => String((r.inputs as Obj).spec?.type).startsWith("state.")), false, "no unused state store");
    assert.equal(one("Component", "secretstore").spec.type, "secretstores.kubernetes");
    for (const c of cronBindings) {
      const cron = one("Component", c.name);
      assert.equal(cron.spec.type, "bindings.cron");
      assert.deepEqual(cron.scopes, [c.appId]);
    }
    const policies = one("Resiliency", "todo-resiliency").spec.policies;
    assert.equal(policies.retries.deliveryRetry.policy, "exponential");
    assert.equal(policies.retries.deliveryRetry.duration, undefined, "exponential retries ignore duration");
    assert.equal(policies.retries.invocationRetry.matching.httpStatusCodes, "429,500-599", "4xx answers are not retried");
    assert.equal(policies.circuitBreakers, undefined, "no breaker can dead-letter healthy traffic or turn a 404 into 500");
    assert.equal(one("Configuration", "todo-dapr-config").spec.metric.enabled, true);
    assert.deepEqual(one("Secret", "jwt-secret").stringData && Object.keys(one("Secret", "jwt-secret").stringData), ["jwt-secret"]);
  });

  it("when a custom resource is registered, then it depends on the Helm release that installs its CRD", () => {
    const release = (name: string) => helmReleases(stack.resources).find((r) => r.inputs.name === name)!.urn;
    const crOwners: Record<string, string> = { "dapr.io": release("dapr"), "monitoring.coreos.com": release("kube-prometheus-stack") };
    const crs = stack.resources.filter((r) => /^kubernetes:(dapr\.io|monitoring\.coreos\.com)\//.test(r.type));
    assert.ok(crs.length >= 17);
    for (const cr of crs) {
      const group = cr.type.split(":")[1].split("/")[0];
      assert.ok(cr.dependencies.includes(crOwners[group]), `${cr.name} depends on the ${group} release`);
    }
    // Pods must not be created before the sidecar injector is running.
    for (const a of apps) assert.ok(resource((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === `app-${a.id}`).dependencies.includes(release("dapr")));
  });

  it("when the Helm releases are rendered, then every chart version is pinned and the laptop values are set", () => {
    const releases = helmReleases(stack.resources);
    assert.deepEqual(releases.map((r) => r.inputs.name).sort(), ["dapr", "kube-prometheus-stack", "traefik"]);
    for (const r of releases) assert.match(String(r.inputs.version), /^v?\d+\.\d+\.\d+$/);
    const dapr = releases.find((r) => r.inputs.name === "dapr")!;
    assert.equal(dapr.inputs.version, "1.18.3");
    assert.equal((dapr.inputs.values as Obj).dapr_scheduler.cluster.storageSize, "1Gi");
    assert.equal((dapr.inputs.values as Obj).global.ha.enabled, false);
    const kps = releases.find((r) => r.inputs.name === "kube-prometheus-stack")!.inputs.values as Obj;
    for (const k of ["serviceMonitor", "podMonitor", "rule", "probe"]) assert.equal(kps.prometheus.prometheusSpec[`${k}SelectorNilUsesHelmValues`], false, k);
    for (const k of ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"]) assert.equal(kps[k].enabled, false, k);
    assert.deepEqual(kps.grafana.sidecar.dashboards, { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" });
    assert.equal(kps.grafana.admin.existingSecret, "grafana-admin");
    const traefik = releases.find((r) => r.inputs.name === "traefik")!.inputs.values as Obj;
    assert.equal(traefik.ingressClass.name, "traefik");
    assert.ok(traefik.resources.limits.memory);
    // No LoadBalancer on Minikube: a NodePort Service with hostPorts, and the host as the Ingress address.
    assert.equal(traefik.service.type, "NodePort");
    assert.equal(traefik.ports.web.hostPort, 80);
    assert.deepEqual(traefik.additionalArguments, ["--providers.kubernetesingress.ingressendpoint.hostname=todo-app.local"]);
  });

  it("when the data stores are rendered, then PostgreSQL is a StatefulSet with a PVC and credentials from a Secret", () => {
    const pg = one("StatefulSet", "postgres");
    assert.equal(pg.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "2Gi");
    assert.deepEqual(pg.spec.template.spec.containers[0].envFrom, [{ secretRef: { name: "postgres-credentials" } }]);
    assert.equal(one("Deployment", "redis").spec.template.spec.containers[0].image, "redis:7.4.5-alpine");
  });

  it("when every Kubernetes object is validated against its schema, then none has an error", async () => {
    const errors: string[] = [];
    for (const o of objects) errors.push(...(await validateKubernetesObject(o)));
    assert.deepEqual(errors, []);
    assert.ok(objects.length > 60);
  });

  it("when the plan is redacted as render writes it, then no generated or configured secret appears in clear", () => {
    const plan = JSON.stringify(stack.resources.map((r) => redactSecrets(r.inputs)));
    assert.ok(!plan.includes(MOCK_SECRET_PREFIX), "a secret value leaked into a non-secret input");
    // And the secrets really are there, only marked: the Secrets carry them.
    assert.ok(JSON.stringify(objects).includes(MOCK_SECRET_PREFIX));
  });

  it("when the stack outputs are read, then they give the URL, the Grafana URL and how to log in", () => {
    assert.equal(stack.outputs.url, "http://todo-app.local");
    assert.equal(stack.outputs.grafanaUrl, "http://todo-app.local/grafana");
    assert.match(String(stack.outputs.grafanaLogin), /admin.*pulumi stack output grafanaAdminPassword --show-secrets/);
    assert.equal(redactSecrets(stack.outputs.grafanaAdminPassword), "[secret]");
  });

  it("when components are registered, then every child has a parent (no orphans besides the stack's components)", () => {
    const topLevel = stack.resources.filter((r) => byUrn(r.parent ?? "")?.type === "pulumi:pulumi:Stack" || !r.parent);
    assert.deepEqual([...new Set(topLevel.map((r) => r.type))].sort(), ["todo:app:TodoApp", "todo:cluster:MinikubeCluster", "todo:observability:Observability", "todo:platform:Platform"]);
  });
});
