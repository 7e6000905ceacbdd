import { isType, type ResourceRule } from "./types";

/** An exact SemVer 2 version (a leading v is how some charts tag): no range, no wildcard. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const pinnedHelmCharts: ResourceRule = {
  name: "helm-chart-version-pinned",
  description: "Every Helm chart names an exact version (a chart from this repository's own files is pinned by the commit).",
  check(resource) {
    if (!isType(resource, "kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v4:Chart")) return [];
    const chart = String(resource.props.chart ?? "");
    if (chart.startsWith("./") || chart.startsWith("../") || chart.startsWith("/")) return [];
    const version = resource.props.version;
    if (version === undefined || version === "") return [`chart ${chart} has no version: helm installs whatever is newest`];
    if (typeof version !== "string" || !EXACT_VERSION.test(version)) return [`chart ${chart} version ${JSON.stringify(version)} is not an exact version`];
    return [];
  },
};
