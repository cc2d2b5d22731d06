/**
 * The nearest-rank percentile of ascending-sorted values: the smallest value with at least
 * `p` percent of all values at or below it. NaN for no values.
 */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  const count = sortedAscending.length;
  if (count === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * count);
  return sortedAscending[rank - 1]!;
}

/** p50, p95 and p99 of unsorted latencies, in their unit. */
export function latencySummary(latencies: ArrayLike<number>): { p50: number; p95: number; p99: number } {
  const sorted = Float64Array.from(latencies).sort();
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
