// The one Kubernetes quantity parser of the Pulumi program: the namespace quota sums with it and the
// cloud budget adds up requests with it. Only the suffixes the config and the charts use (decimal
// SI k/M/G and binary Ki/Mi/Gi/Ti for memory, m for CPU), not the whole resource.Quantity grammar.

/** Kubernetes CPU quantity → millicores (`100m`, `0.5`, `1`, 2). */
export function parseCpu(quantity: string | number): number {
  if (typeof quantity === "number") return Math.round(quantity * 1000);
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!m) throw new Error(`not a CPU quantity: "${quantity}"`);
  return m[2] === "m" ? Math.round(Number(m[1])) : Math.round(Number(m[1]) * 1000);
}

const MEMORY_UNITS: Record<string, number> = {
  "": 1 / (1024 * 1024),
  k: 1000 / (1024 * 1024),
  M: 1e6 / (1024 * 1024),
  G: 1e9 / (1024 * 1024),
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
};

/** Kubernetes memory quantity → MiB (`128Mi`, `1Gi`, `500M`, bytes). */
export function parseMemory(quantity: string | number): number {
  if (typeof quantity === "number") return quantity / (1024 * 1024);
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(quantity.trim());
  if (!m) throw new Error(`not a memory quantity: "${quantity}"`);
  return Number(m[1]) * MEMORY_UNITS[m[2] ?? ""];
}
