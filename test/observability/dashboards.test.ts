import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dashboards, renderDashboard } from "../../dashboards/src/index";
import { dashboardFiles, dashboardsDir, readDashboard } from "./observed-files";

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: unknown;
  gridPos: { h: number; w: number; x: number; y: number };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Array<{ expr: string; datasource?: unknown }>;
}
interface Variable {
  name: string;
  type: string;
  query?: unknown;
  datasource?: unknown;
}

const datasourceRef = { type: "prometheus", uid: "${datasource}" };

describe("observability: Grafana dashboards", () => {
  it("when the dashboards are generated, then the committed JSON is exactly what the builder writes", () => {
    assert.deepEqual(dashboardFiles(), Object.keys(dashboards).map((n) => `${n}.json`).sort());
    for (const [name, dash] of Object.entries(dashboards)) {
      const committed = readFileSync(join(dashboardsDir, `${name}.json`), "utf8");
      assert.equal(committed, renderDashboard(dash), `dashboards/${name}.json is stale: run npx tsx dashboards/src/generate.ts`);
    }
  });

  it("when the four dashboards are listed, then task-operations, event-processing, reminder-scheduling and system-health are there with unique uids", () => {
    assert.deepEqual(Object.keys(dashboards).sort(), ["event-processing", "reminder-scheduling", "system-health", "task-operations"]);
    const uids = dashboardFiles().map((f) => readDashboard(f).uid);
    assert.equal(new Set(uids).size, uids.length);
  });

  for (const file of dashboardFiles()) {
    describe(file, () => {
      const dash = readDashboard(file);
      const panels = dash.panels as Panel[];
      const variables = (dash.templating as { list: Variable[] }).list;
      const queryPanels = panels.filter((p) => p.type !== "row");

      it("when its variables are read, then `datasource` selects a Prometheus data source and `namespace` is queried through it", () => {
        const ds = variables.find((v) => v.name === "datasource");
        assert.equal(ds?.type, "datasource");
        assert.equal(ds?.query, "prometheus");
        const ns = variables.find((v) => v.name === "namespace");
        assert.equal(ns?.type, "query");
        assert.deepEqual(ns?.datasource, datasourceRef);
      });

      it("when any datasource reference is read, then it is the variable, never a named data source", () => {
        const refs: unknown[] = [];
        JSON.stringify(dash, (key, value: unknown) => {
          if (key === "datasource") refs.push(value);
          return value;
        });
        assert.ok(refs.length > queryPanels.length);
        for (const ref of refs) assert.deepEqual(ref, datasourceRef);
      });

      it("when its panels are read, then each has a unit, a description and at least one query filtered by namespace or job", () => {
        assert.ok(queryPanels.length >= 8, `${file} has only ${queryPanels.length} panels`);
        for (const p of queryPanels) {
          assert.ok(p.fieldConfig?.defaults?.unit, `${p.title} has no unit`);
          assert.ok(p.description, `${p.title} has no description`);
          assert.ok(p.targets && p.targets.length > 0, `${p.title} has no query`);
          for (const t of p.targets) {
            assert.match(t.expr, /namespace="\$namespace"|job=|node_/, `${p.title}: ${t.expr} is not scoped`);
          }
        }
      });

      it("when the grid is laid out, then no panel overflows 24 columns or overlaps another", () => {
        const cells = new Set<string>();
        for (const p of panels) {
          const { h, w, x, y } = p.gridPos;
          assert.ok(x >= 0 && x + w <= 24, `${p.title} overflows`);
          for (let i = x; i < x + w; i++) {
            for (let j = y; j < y + h; j++) {
              const cell = `${i},${j}`;
              assert.ok(!cells.has(cell), `${p.title} overlaps at ${cell}`);
              cells.add(cell);
            }
          }
        }
        assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, "panel ids repeat");
      });
    });
  }

  it("when all dashboards are searched, then Dapr sidecar pub/sub, HTTP and pod-health panels are present", () => {
    const exprs = dashboardFiles()
      .flatMap((f) => (readDashboard(f).panels as Panel[]).flatMap((p) => (p.targets ?? []).map((t) => t.expr)))
      .join("\n");
    for (const metric of [
      "dapr_component_pubsub_ingress_count",
      "dapr_component_pubsub_egress_count",
      "dapr_component_pubsub_ingress_latencies_bucket",
      "dapr_component_pubsub_egress_latencies_bucket",
      "dapr_http_server_request_count",
      "dapr_runtime_component_loaded",
      "kube_pod_container_status_restarts_total",
      "kube_pod_status_ready",
      "kube_deployment_status_replicas_available",
      "container_cpu_usage_seconds_total",
      "container_memory_working_set_bytes",
    ]) {
      assert.ok(exprs.includes(metric), `no panel queries ${metric}`);
    }
  });
});
