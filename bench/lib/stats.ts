// Small numeric helpers for the report: percentiles, ratios and human formatting. Pure.

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

/** a / b, or NaN when b is 0 or either is not a number. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}

export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  if (ms < 600_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value >= 100 ? `${Math.round(value).toLocaleString('en-US')}×` : `${value.toFixed(value >= 10 ? 1 : 2)}×`;
}

export function formatMb(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '–' : `${Math.round(value)} MB`;
}

export function formatRate(perSecond: number): string {
  return Number.isFinite(perSecond) ? `${formatCount(perSecond)}/s` : '–';
}

/** `{ "queryAll": 2, "bulk2.ingest.GET": 10 }` → `bulk2.ingest.GET 10, queryAll 2` (largest first). */
export function formatEndpoints(byEndpoint: Record<string, number>): string {
  return Object.entries(byEndpoint)
    .filter(([label]) => !label.startsWith('oauth'))
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([label, count]) => `${label} ${count}`)
    .join(', ');
}
