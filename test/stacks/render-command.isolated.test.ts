/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are inspected structurally */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { MOCK_SECRET_PREFIX } from "../../scripts/render/offline-stack";

// `npm run render -- --stack <s> --out DIR` exactly as a user or CI runs it: no cluster, no CLI, no
// credentials. Each stack renders in its own process (one Pulumi stack per process).
const root = join(__dirname, "..", "..");

interface Rendered {
  dir: string;
  resources: { type: string; name: string; parent?: string; inputs: unknown; options: Record<string, any> }[];
  objects: { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any; [k: string]: any }[];
  text: string;
}

function render(stack: "local" | "cloud"): Rendered {
  const dir = mkdtempSync(join(tmpdir(), `render-${stack}-`));
  const res = spawnSync("npm", ["run", "--silent", "render", "--", "--stack", stack, "--out", dir], { cwd: root, encoding: "utf8" });
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
  const resources = JSON.parse(readFileSync(join(dir, "resources.json"), "utf8")).resources;
  const files = readdirSync(join(dir, "kubernetes"));
  const texts = files.map((f) => readFileSync(join(dir, "kubernetes", f), "utf8"));
  const objects = texts.flatMap((t) => parseAllDocuments(t).map((d) => d.toJS()));
  return { dir, resources, objects, text: readFileSync(join(dir, "resources.json"), "utf8") + texts.join("\n") };
}

for (const stack of ["local", "cloud"] as const) {
  describe(`npm run render -- --stack ${stack}`, function () {
    this.timeout(180_000);
    let r: Rendered;
    before(() => (r = render(stack)));
    after(() => rmSync(r.dir, { recursive: true, force: true }));

    it("when rendered, then resources.json lists every resource with type, name, parent and inputs", () => {
      assert.ok(r.resources.length > 50, `${r.resources.length} resources`);
      for (const x of r.resources) assert.ok(x.type && x.name && "inputs" in x, JSON.stringify(x).slice(0, 200));
      assert.ok(r.resources.some((x) => x.type === "kubernetes:helm.sh/v3:Release"));
    });

    it("when rendered, then resources.json shows the options that decide a real run: delete-first replacement, protection, ignored changes, timeouts, deletedWith, dependsOn", () => {
      const byName = (n: string) => r.resources.find((x) => x.name === n)!;
      for (const x of r.resources) assert.equal(typeof x.options, "object", x.name);
      const lifecycle = stack === "local" ? byName("cluster-start") : byName("cluster-node-0");
      assert.equal(lifecycle.options.deleteBeforeReplace, true);
      if (stack === "local") {
        assert.deepEqual(lifecycle.options.customTimeouts, { create: "20m" });
      } else {
        assert.equal(lifecycle.options.protect, true);
        assert.deepEqual(lifecycle.options.ignoreChanges.sort(), ["availabilityDomain", "sourceDetails.sourceId"]);
      }
      // Every in-cluster resource (the backup's included) goes with the cluster: destroy needs no cluster access.
      const inCluster = r.resources.filter((x) => x.type.startsWith("kubernetes:"));
      const missing = inCluster.filter((x) => !String(x.options.deletedWith ?? "").endsWith(`::${lifecycle.name}`)).map((x) => `${x.type} ${x.name}`);
      assert.deepEqual(missing, [], "in-cluster resources not deletedWith the cluster");
      const releases = r.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release");
      for (const rel of releases) {
        assert.match(rel.options.deletedWith, new RegExp(`::${lifecycle.name}$`), rel.name);
        assert.ok(rel.options.dependsOn.length > 0, `${rel.name} dependsOn its namespace`);
      }
    });

    it("when rendered, then the YAML holds six Deployments (the Dapr apps annotated), the Dapr resources and the Helm releases", () => {
      const deployments = r.objects.filter((o) => o.kind === "Deployment" && o.metadata.namespace === "todo");
      assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), ["backend", "event-processor", "frontend", "notification", "reminder-scheduler", "websocket"]);
      for (const d of deployments.filter((d) => d.metadata.name !== "frontend")) {
        const a = d.spec.template.metadata.annotations;
        assert.equal(a["dapr.io/enabled"], "true", d.metadata.name);
        assert.equal(a["dapr.io/app-id"], d.metadata.name);
      }
      for (const kind of ["Component", "Subscription", "Configuration", "Resiliency", "HelmRelease", "Ingress", "NetworkPolicy"]) {
        assert.ok(r.objects.some((o) => o.kind === kind), `no ${kind}`);
      }
    });

    it("when rendered, then no secret is in clear: Secret data is redacted and no secret value appears anywhere", () => {
      assert.ok(!r.text.includes(MOCK_SECRET_PREFIX), "a generated or configured secret value leaked into the plan");
      for (const s of r.objects.filter((o) => o.kind === "Secret")) {
        for (const v of Object.values({ ...(s.data ?? {}), ...(s.stringData ?? {}) })) assert.equal(v, "[secret]", s.metadata.name);
      }
    });
  });
}
