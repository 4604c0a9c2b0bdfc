export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface LatencySummary {
  count: number;
  p50: number | undefined;
  p99: number | undefined;
  max: number | undefined;
}

export function summarize(samples: Float64Array | number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : undefined,
  };
}

export function fmtInt(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? '—'
    : Math.round(value).toLocaleString('en-US');
}

export function fmtMs(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(digits)} ms`;
}

export function fmtMB(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes)
    ? '—'
    : `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export function fmtRatio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}×`;
}

export function fmtPct(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? '—'
    : `${(value * 100).toFixed(value >= 0.9995 || value === 0 ? 0 : 1)} %`;
}
