/**
 * A small typed builder for the Grafana dashboard JSON we ship. Only what our dashboards use:
 * rows of timeseries/stat panels laid out on Grafana's 24-column grid, Prometheus queries through a
 * `datasource` variable (never a datasource name or uid baked in), and a `namespace` variable.
 */
import { scrapeJobs } from "./scrape-jobs";

/** Every panel and variable points at the dashboard's `datasource` variable. */
export const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;

/** Grafana unit ids (https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/#unit). */
export type Unit = "reqps" | "ops" | "short" | "percentunit" | "s" | "ms" | "bytes" | "cores" | "dateTimeFromNow" | "none";

export interface Query {
  expr: string;
  /** e.g. `{{service}} {{route}}` */
  legend?: string;
}

export interface PanelSpec {
  title: string;
  description: string;
  kind?: "timeseries" | "stat";
  unit: Unit;
  queries: Query[];
  /** Columns out of 24 (default 12). */
  width?: number;
  height?: number;
  /** Stack the series (counts that add up, e.g. outcomes). */
  stacked?: boolean;
  /** A value at or above which the stat/series turns red. */
  redAt?: number;
  min?: number;
  max?: number;
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export interface VariableSpec {
  name: string;
  label: string;
  /** A `label_values(...)` query. */
  query: string;
  multi?: boolean;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  /** Extra query variables after `datasource` and `namespace`. */
  variables?: VariableSpec[];
  rows: RowSpec[];
}

type Json = Record<string, unknown>;

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function thresholds(redAt: number | undefined): Json {
  const steps: Json[] = [{ color: "green", value: null }];
  if (redAt !== undefined) steps.push({ color: "red", value: redAt });
  return { mode: "absolute", steps };
}

function panelJson(spec: PanelSpec, id: number, gridPos: Json): Json {
  const kind = spec.kind ?? "timeseries";
  const defaults: Json = { unit: spec.unit, thresholds: thresholds(spec.redAt) };
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  if (kind === "timeseries") {
    defaults.custom = {
      drawStyle: "line",
      lineWidth: 1,
      fillOpacity: spec.stacked ? 30 : 10,
      showPoints: "never",
      stacking: { mode: spec.stacked ? "normal" : "none", group: "A" },
      thresholdsStyle: { mode: spec.redAt === undefined ? "off" : "line" },
    };
  }
  const options: Json =
    kind === "timeseries"
      ? { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "desc" } }
      : { colorMode: "value", graphMode: "area", reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, textMode: "auto" };
  return {
    id,
    type: kind,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults, overrides: [] },
    options,
    targets: spec.queries.map((q, i) => ({
      datasource: DATASOURCE,
      expr: q.expr,
      legendFormat: q.legend ?? "__auto",
      range: true,
      refId: REF_IDS[i],
    })),
  };
}

/** Lays rows out top to bottom, panels left to right, wrapping at 24 columns. */
function layout(rows: RowSpec[]): Json[] {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: "row", title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.width ?? 12;
      const h = p.height ?? 8;
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push(panelJson(p, id++, { h, w, x, y }));
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return panels;
}

function queryVariable(v: VariableSpec): Json {
  return {
    name: v.name,
    label: v.label,
    type: "query",
    datasource: DATASOURCE,
    query: { query: v.query, refId: `${v.name}-variable` },
    definition: v.query,
    refresh: 2,
    sort: 1,
    multi: v.multi ?? false,
    includeAll: v.multi ?? false,
    ...(v.multi ? { allValue: ".+" } : {}),
    current: {},
    options: [],
    hide: 0,
  };
}

/** The namespace the services run in, found from the services' own scrape targets. */
export const namespaceVariable: VariableSpec = {
  name: "namespace",
  label: "Namespace",
  query: `label_values(up{job="${scrapeJobs.services}"}, namespace)`,
};

export function dashboard(spec: DashboardSpec): Json {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ["todo-platform", ...spec.tags],
    timezone: "browser",
    editable: true,
    graphTooltip: 1,
    refresh: "30s",
    schemaVersion: 39,
    version: 1,
    time: { from: "now-3h", to: "now" },
    annotations: { list: [] },
    links: [{ type: "dashboards", title: "Todo Platform", tags: ["todo-platform"], asDropdown: true, includeVars: true, keepTime: true }],
    templating: {
      list: [
        { name: "datasource", label: "Data source", type: "datasource", query: "prometheus", refresh: 1, current: {}, hide: 0, options: [] },
        queryVariable(namespaceVariable),
        ...(spec.variables ?? []).map(queryVariable),
      ],
    },
    panels: layout(spec.rows),
  };
}
