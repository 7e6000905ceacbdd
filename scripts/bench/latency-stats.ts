/** p-th percentile (nearest rank) of a sample, in the sample's unit; NaN for an empty sample. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Milliseconds rounded to 0.1 for the report. */
export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarise(sampleMs: readonly number[]): LatencySummary {
  return { count: sampleMs.length, p50Ms: ms(percentile(sampleMs, 50)), p99Ms: ms(percentile(sampleMs, 99)), maxMs: ms(percentile(sampleMs, 100)) };
}
