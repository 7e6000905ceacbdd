/**
 * The connectivity check between what our dashboards/alerts query and what is really exported:
 * pull every PromQL expression out of the dashboards and the rule file, parse it with the Prometheus
 * project's own grammar (@prometheus-io/lezer-promql), take the metric names from the parse tree, and
 * resolve each one against the families of a live `/metrics` text or the external catalogue.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { parse as parseYaml } from "yaml";
import type { ExternalMetric, MetricType } from "../../dashboards/external-metrics";

export interface Expression {
  /** Where it came from, for error messages: `system-health.json › CPU › A`. */
  where: string;
  expr: string;
}

interface GrafanaTarget {
  expr?: string;
  refId?: string;
}
interface GrafanaPanel {
  title?: string;
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}
interface GrafanaVariable {
  name: string;
  type: string;
  query?: unknown;
}

/** `label_values(up{job="x"}, namespace)` → `up{job="x"}` (the PromQL part of Grafana's helper). */
export function labelValuesSelector(query: string): string | undefined {
  const m = /^\s*label_values\(\s*(.+?)\s*,\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*$/.exec(query);
  return m?.[1];
}

export function dashboardExpressions(file: string, dashboard: unknown): Expression[] {
  const dash = dashboard as { panels?: GrafanaPanel[]; templating?: { list?: GrafanaVariable[] } };
  const out: Expression[] = [];
  const visit = (panels: GrafanaPanel[] | undefined) => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) {
        if (typeof t.expr === "string") out.push({ where: `${file} › ${p.title ?? "?"} › ${t.refId ?? "?"}`, expr: t.expr });
      }
      visit(p.panels);
    }
  };
  visit(dash.panels);
  for (const v of dash.templating?.list ?? []) {
    if (v.type !== "query") continue;
    const q = typeof v.query === "string" ? v.query : (v.query as { query?: string } | undefined)?.query;
    const selector = q === undefined ? undefined : labelValuesSelector(q);
    out.push({ where: `${file} › variable ${v.name}`, expr: selector ?? String(q) });
  }
  return out;
}

export function ruleExpressions(file: string, rulesYaml: string): Expression[] {
  const doc = parseYaml(rulesYaml) as { groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string }> }> };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ where: `${file} › ${g.name} › ${r.alert ?? r.record}`, expr: String(r.expr) })));
}

/**
 * Grafana substitutes its variables before the query reaches Prometheus; do the same with stand-ins
 * so the text can be parsed: interval macros become a duration, other variables a plain word (they
 * only ever appear inside label-matcher strings in our dashboards).
 */
export function expandGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, "5m")
    .replace(/\$\{(\w+)(?::\w+)?\}/g, "$1")
    .replace(/\$(\w+)/g, "$1");
}

/** Error nodes in the parse tree, as `offset: snippet` (empty when the expression is valid PromQL). */
export function syntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 15), node.to + 15))}`);
    },
  });
  return errors;
}

/** Metric names selected by the expression: `name{...}` selectors and `{__name__="name"}` matchers. */
export function referencedMetrics(expr: string): string[] {
  const names = new Set<string>();
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.name === "VectorSelector") {
        const id = node.node.getChild("Identifier");
        if (id) names.add(expr.slice(id.from, id.to));
      }
      if (node.name === "UnquotedLabelMatcher" || node.name === "QuotedLabelMatcher") {
        const label = node.node.getChild("LabelName");
        const op = node.node.getChild("MatchOp");
        const value = node.node.getChild("StringLiteral");
        if (label && op && value && expr.slice(label.from, label.to) === "__name__" && expr.slice(op.from, op.to) === "=") {
          names.add(JSON.parse(expr.slice(value.from, value.to).replace(/^'|'$/g, '"')) as string);
        }
      }
    },
  });
  return [...names].sort();
}

/** Families of a Prometheus text exposition: `# TYPE` lines, plus samples of untyped metrics. */
export function parseExposition(text: string): Map<string, MetricType | "untyped"> {
  const families = new Map<string, MetricType | "untyped">();
  for (const line of text.split("\n")) {
    const typed = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)\s*$/.exec(line);
    if (typed) {
      families.set(typed[1], typed[2] as MetricType | "untyped");
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{\s]/.exec(line);
    if (sample && !line.startsWith("#") && !isSampleOfKnownFamily(sample[1], families)) families.set(sample[1], "untyped");
  }
  return families;
}

function isSampleOfKnownFamily(name: string, families: Map<string, string>): boolean {
  if (families.has(name)) return true;
  const m = /^(.*)_(bucket|sum|count|created)$/.exec(name);
  return m !== null && families.has(m[1]);
}

export type Resolution = { name: string; source: string } | { name: string; source?: undefined };

/**
 * Where a referenced series name comes from. `x_bucket` resolves through a histogram family `x`,
 * `x_sum`/`x_count` through a histogram or summary `x`; a name that is itself a family (Dapr's
 * counters are called `..._count`) resolves directly.
 */
export function resolveMetric(name: string, exported: ReadonlyMap<string, string>, external: readonly ExternalMetric[]): Resolution {
  const known = new Map<string, { type: string; source: string }>();
  for (const m of external) known.set(m.name, { type: m.type, source: m.source });
  for (const [family, type] of exported) known.set(family, { type, source: "our services' /metrics" });

  const direct = known.get(name);
  if (direct) return { name, source: direct.source };
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (suffix) {
    const base = known.get(suffix[1]);
    const fits = base && (base.type === "histogram" || (base.type === "summary" && suffix[2] !== "bucket"));
    if (fits) return { name, source: base.source };
  }
  return { name };
}

/** Every referenced metric nobody exports, as `metric (where)`; empty when all are connected. */
export function unconnectedMetrics(expressions: readonly Expression[], exported: ReadonlyMap<string, string>, external: readonly ExternalMetric[]): string[] {
  const missing: string[] = [];
  for (const e of expressions) {
    for (const name of referencedMetrics(expandGrafanaVariables(e.expr))) {
      if (resolveMetric(name, exported, external).source === undefined) missing.push(`${name} (${e.where})`);
    }
  }
  return missing;
}

/** `metric{service="x"}` selectors: metrics the expression expects from one particular service. */
export function serviceScopedMetrics(expr: string): Array<{ metric: string; service: string }> {
  const out: Array<{ metric: string; service: string }> = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name !== "VectorSelector") return;
      const id = node.node.getChild("Identifier");
      const matchers = node.node.getChild("LabelMatchers");
      if (!id || !matchers) return;
      for (const m of matchers.getChildren("UnquotedLabelMatcher")) {
        const label = m.getChild("LabelName");
        const op = m.getChild("MatchOp");
        const value = m.getChild("StringLiteral");
        if (label && op && value && expr.slice(label.from, label.to) === "service" && expr.slice(op.from, op.to) === "=") {
          out.push({ metric: expr.slice(id.from, id.to), service: JSON.parse(expr.slice(value.from, value.to)) as string });
        }
      }
    },
  });
  return out;
}

/** Selectors asking a service for a metric that service does not export, as `metric from service (where)`. */
export function misplacedMetrics(expressions: readonly Expression[], perService: ReadonlyMap<string, ReadonlyMap<string, string>>): string[] {
  const wrong: string[] = [];
  for (const e of expressions) {
    for (const { metric, service } of serviceScopedMetrics(expandGrafanaVariables(e.expr))) {
      const families = perService.get(service);
      if (!families || resolveMetric(metric, families, []).source === undefined) wrong.push(`${metric} from ${service} (${e.where})`);
    }
  }
  return wrong;
}
