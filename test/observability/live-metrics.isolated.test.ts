import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { externalMetrics } from "../../dashboards/external-metrics";
import { misplacedMetrics, parseExposition, serviceScopedMetrics, unconnectedMetrics } from "./metric-references";
import { allExpressions } from "./observed-files";
import { runSmokeJourney } from "../../scripts/smoke/smoke-journey";

// The local runtime (`npm start`) runs each service as its own process with its own registry, so its
// `GET /metrics/<app-id>` on the runtime's loopback metrics port is exactly what Prometheus scrapes from that service's pod.
interface LocalRuntime {
  url: string;
  /** Loopback-only listener with `GET /metrics/<app-id>` (never the public port). */
  metricsUrl: string;
  services: string[];
  stop(): Promise<void>;
}
type StartLocalRuntime = (opts: { port: number; output: "silent"; logLevel: string }) => Promise<LocalRuntime>;

// Computed path: the services package is typechecked by its own tsconfig, not the root one.
const { startLocalRuntime } = createRequire(__filename)(join(__dirname, "..", "..", "services", "runtime", "src", "local-runtime")) as { startLocalRuntime: StartLocalRuntime };

const scraped = ["backend", "event-processor", "reminder-scheduler", "notification", "websocket"] as const;

describe("observability: dashboards and alerts against the local runtime's live /metrics", function () {
  this.timeout(240_000);
  let runtime: LocalRuntime;
  const perService = new Map<string, Map<string, string>>();

  before(async () => {
    runtime = await startLocalRuntime({ port: 0, output: "silent", logLevel: "warn" });
    for (const id of scraped) {
      const res = await fetch(`${runtime.metricsUrl}/metrics/${id}`);
      assert.equal(res.status, 200, `GET /metrics/${id}`);
      perService.set(id, parseExposition(await res.text()));
    }
  });

  after(async () => {
    await runtime?.stop();
  });

  it("when each service's /metrics is read, then it exports the HTTP and Node.js metrics and its own domain metrics", () => {
    const own: Record<(typeof scraped)[number], string[]> = {
      backend: ["todo_outbox_unsent_events", "todo_outbox_oldest_unsent_age_seconds", "todo_task_operations_total", "todo_events_published_total"],
      "event-processor": ["todo_events_consumed_total", "todo_event_processing_duration_seconds", "todo_events_dead_lettered_total"],
      "reminder-scheduler": ["todo_reminders_scheduled_total", "todo_reminders_cancelled_total", "todo_reminders_fired_total", "todo_reminder_lateness_seconds"],
      notification: ["todo_notifications_sent_total", "todo_notifications_read_total"],
      websocket: ["todo_websocket_connections", "todo_websocket_frames_sent_total", "todo_websocket_clients_dropped_total", "todo_websocket_upgrades_rejected_total"],
    };
    for (const id of scraped) {
      const families = perService.get(id)!;
      for (const name of ["http_requests_total", "http_request_duration_seconds", "process_resident_memory_bytes", "nodejs_eventloop_lag_p99_seconds", ...own[id]]) {
        assert.ok(families.has(name), `${id} does not export ${name}`);
      }
    }
  });

  it("when every referenced metric is resolved against the five live /metrics, then each is exported or catalogued", () => {
    const union = new Map<string, string>();
    for (const families of perService.values()) for (const [k, v] of families) union.set(k, v);
    assert.deepEqual(unconnectedMetrics(allExpressions(), union, externalMetrics), []);
  });

  it("when a query asks one service for a metric (service=\"x\"), then that service exports it", () => {
    const expressions = allExpressions();
    assert.ok(expressions.some((e) => serviceScopedMetrics(e.expr).length > 0), "no service-scoped selector found: the check would be empty");
    assert.deepEqual(misplacedMetrics(expressions, perService), []);
    // And the check bites: outbox metrics are the backend's, not the websocket's.
    assert.deepEqual(misplacedMetrics([{ where: "probe", expr: 'todo_outbox_unsent_events{service="websocket"}' }], perService), [
      "todo_outbox_unsent_events from websocket (probe)",
    ]);
  });

  it("when the smoke journey has run, then every service's own domain metrics have non-zero values", async () => {
    const failures: string[] = [];
    const result = await runSmokeJourney(
      { baseUrl: runtime.url, readyTimeoutMs: 60_000, stepTimeoutMs: 10_000 },
      { passed: () => undefined, failed: (step, _ms, message) => failures.push(`${step}: ${message}`) },
    );
    assert.ok(result.ok, failures.join("\n"));
    const moved: Record<(typeof scraped)[number], string[]> = {
      backend: ["todo_task_operations_total", "todo_events_published_total"],
      "event-processor": ["todo_events_consumed_total"],
      "reminder-scheduler": ["todo_reminders_scheduled_total", "todo_reminders_fired_total", "todo_reminder_lateness_seconds_count"],
      notification: ["todo_notifications_sent_total", "todo_events_published_total"],
      websocket: ["todo_websocket_frames_sent_total", "todo_events_consumed_total"],
    };
    for (const id of scraped) {
      const text = await (await fetch(`${runtime.metricsUrl}/metrics/${id}`)).text();
      for (const name of moved[id]) {
        const total = text
          .split("\n")
          .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
          .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
        assert.ok(total > 0, `${id}: ${name} is still 0 after the journey`);
      }
    }
  });
});
