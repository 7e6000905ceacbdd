// Its own process (isolated): it loads every service module and sets the shared registry's default
// labels, which must not leak into other suites.
import assert from "node:assert/strict";
import { externalMetrics } from "../../dashboards/external-metrics";
import { dashboard } from "../../dashboards/src/grafana";
import {
  dashboardExpressions,
  expandGrafanaVariables,
  labelValuesSelector,
  parseExposition,
  referencedMetrics,
  resolveMetric,
  syntaxErrors,
  unconnectedMetrics,
} from "./metric-references";
import { allExpressions } from "./observed-files";
import { inProcessServiceMetrics } from "./service-metrics";

describe("observability: PromQL in dashboards and alert rules", () => {
  let exported: Map<string, string>;

  before(async () => {
    exported = parseExposition(await inProcessServiceMetrics());
  });

  it("when every dashboard and rule expression is parsed, then none has a syntax error", () => {
    const expressions = allExpressions();
    assert.ok(expressions.length > 60, `only ${expressions.length} expressions found`);
    const broken = expressions
      .map((e) => ({ where: e.where, errors: syntaxErrors(expandGrafanaVariables(e.expr)) }))
      .filter((e) => e.errors.length > 0);
    assert.deepEqual(broken, []);
  });

  it("when the services' live /metrics is read, then it has the metrics the issue asks for", () => {
    for (const [name, type] of [
      ["http_requests_total", "counter"],
      ["http_request_duration_seconds", "histogram"],
      ["todo_events_published_total", "counter"],
      ["todo_events_consumed_total", "counter"],
      ["todo_event_processing_duration_seconds", "histogram"],
      ["todo_outbox_unsent_events", "gauge"],
      ["todo_outbox_oldest_unsent_age_seconds", "gauge"],
      ["todo_events_dead_lettered_total", "counter"],
      ["todo_reminders_scheduled_total", "counter"],
      ["todo_reminders_fired_total", "counter"],
      ["todo_reminder_lateness_seconds", "histogram"],
      ["todo_notifications_sent_total", "counter"],
      ["todo_websocket_connections", "gauge"],
      ["todo_websocket_frames_sent_total", "counter"],
      ["process_resident_memory_bytes", "gauge"],
      ["nodejs_eventloop_lag_p99_seconds", "gauge"],
    ]) {
      assert.equal(exported.get(name), type, `${name} should be exported as a ${type}`);
    }
  });

  it("when every referenced metric is resolved, then each is exported by our services or catalogued with its source", () => {
    assert.deepEqual(unconnectedMetrics(allExpressions(), exported, externalMetrics), []);
  });

  it("when a dashboard panel queries a metric nobody exports, then the check names it and where it is", () => {
    const bad = dashboard({
      uid: "bad",
      title: "Bad",
      description: "a panel on a metric no code emits",
      tags: [],
      rows: [
        {
          title: "Row",
          panels: [
            {
              title: "Ghost",
              description: "nobody exports this",
              unit: "ops",
              queries: [{ expr: 'sum(rate(todo_tasks_archived_total{namespace="$namespace"}[$__rate_interval])) / sum(rate(http_requests_total[5m]))' }],
            },
          ],
        },
      ],
    });
    const missing = unconnectedMetrics(dashboardExpressions("bad.json", bad), exported, externalMetrics);
    assert.deepEqual(missing, ["todo_tasks_archived_total (bad.json › Ghost › A)"]);
  });

  it("when every catalogued external metric is listed, then it names its source and is not one of ours", () => {
    for (const m of externalMetrics) {
      assert.ok(m.source.length > 10, `${m.name} needs a source`);
      assert.ok(!exported.has(m.name), `${m.name} is exported by our services; drop it from the catalogue`);
    }
    assert.equal(new Set(externalMetrics.map((m) => m.name)).size, externalMetrics.length, "duplicate catalogue entries");
  });

  it("when the catalogue is compared with the queries, then every catalogued metric is used (no stale entries)", () => {
    const used = new Set(allExpressions().flatMap((e) => referencedMetrics(expandGrafanaVariables(e.expr))));
    const usedFamilies = new Set([...used].flatMap((n) => [n, n.replace(/_(bucket|sum|count)$/, "")]));
    assert.deepEqual(
      externalMetrics.filter((m) => !usedFamilies.has(m.name)).map((m) => m.name),
      [],
    );
  });
});

describe("observability: metric reference extraction", () => {
  it("when an expression has selectors, functions and a __name__ matcher, then exactly the metric names are returned", () => {
    const expr = 'histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{job="x"}[5m]))) > on () group_left count({__name__="b_total", k="v"}) and c';
    assert.deepEqual(referencedMetrics(expr), ["a_seconds_bucket", "b_total", "c"]);
  });

  it("when a histogram series suffix is referenced, then it resolves only through a histogram family", () => {
    const exportedFamilies = new Map([
      ["lat_seconds", "histogram"],
      ["reqs_total", "counter"],
    ]);
    assert.equal(resolveMetric("lat_seconds_bucket", exportedFamilies, []).source, "our services' /metrics");
    assert.equal(resolveMetric("lat_seconds_count", exportedFamilies, []).source, "our services' /metrics");
    assert.equal(resolveMetric("reqs_total_bucket", exportedFamilies, []).source, undefined);
    // Dapr's counters are named ..._count: they resolve as themselves, not as a histogram's count.
    assert.ok(resolveMetric("dapr_component_pubsub_ingress_count", new Map(), externalMetrics).source?.includes("Dapr"));
    assert.equal(resolveMetric("dapr_component_pubsub_ingress_latencies_bucket", new Map(), externalMetrics).source?.includes("Dapr"), true);
  });

  it("when Grafana variables are in a query, then they are replaced by parseable stand-ins", () => {
    const expanded = expandGrafanaVariables('rate(x{namespace="$namespace", pod=~"${pod:regex}"}[$__rate_interval])');
    assert.equal(expanded, 'rate(x{namespace="namespace", pod=~"pod"}[5m])');
    assert.deepEqual(syntaxErrors(expanded), []);
    assert.notDeepEqual(syntaxErrors("rate(x[5m]"), []);
  });

  it("when a label_values variable query is read, then its selector is returned", () => {
    assert.equal(labelValuesSelector('label_values(up{job="todo-services"}, namespace)'), 'up{job="todo-services"}');
    assert.equal(labelValuesSelector("query_result(up)"), undefined);
  });

  it("when an exposition text is parsed, then typed families and untyped samples are found and suffixed samples are not", () => {
    const families = parseExposition(
      ["# HELP a_seconds x", "# TYPE a_seconds histogram", 'a_seconds_bucket{le="1"} 1', "a_seconds_sum 1", "a_seconds_count 1", "loose_metric 3", ""].join("\n"),
    );
    assert.deepEqual([...families], [
      ["a_seconds", "histogram"],
      ["loose_metric", "untyped"],
    ]);
  });
});
