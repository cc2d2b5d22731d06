import { percentile } from '../load/percentile.js';

/** One build's measured slice: how many answers, the CPU it used, the latencies it saw. */
export interface Slice {
  seconds: number;
  requests: number;
  /** CPU time (user + system) the gateway process used during the slice. */
  cpuSeconds: number;
  latenciesMs: ArrayLike<number>;
}

export interface BuildSummary {
  requestsPerSecond: number;
  /** Gateway CPU per answer, in microseconds. */
  cpuPerRequestUs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Comparison {
  base: BuildSummary;
  candidate: BuildSummary;
  /** Candidate over base requests/s of each pair of neighbouring slices: median and quartiles. */
  ratio: { median: number; lowerQuartile: number; upperQuartile: number };
}

/**
 * Sums each build's slices and compares them pair by pair: slice `i` of the base ran next to
 * slice `i` of the candidate, so drift in the machine's speed touches both of a pair alike.
 */
export function summarizeComparison(base: readonly Slice[], candidate: readonly Slice[]): Comparison {
  if (base.length === 0 || base.length !== candidate.length)
    throw new RangeError('summarizeComparison: needs as many base slices as candidate slices, at least one');
  const ratios = Float64Array.from(base, (slice, index) => rate(candidate[index]!) / rate(slice)).sort();
  return {
    base: summarize(base),
    candidate: summarize(candidate),
    ratio: { median: percentile(ratios, 50), lowerQuartile: percentile(ratios, 25), upperQuartile: percentile(ratios, 75) },
  };
}

const rate = (slice: Slice) => slice.requests / slice.seconds;

function summarize(slices: readonly Slice[]): BuildSummary {
  const requests = slices.reduce((sum, slice) => sum + slice.requests, 0);
  const latencies = Float64Array.from(slices.flatMap((slice) => Array.from(slice.latenciesMs))).sort();
  return {
    requestsPerSecond: requests / slices.reduce((sum, slice) => sum + slice.seconds, 0),
    cpuPerRequestUs: requests > 0 ? (slices.reduce((sum, slice) => sum + slice.cpuSeconds, 0) * 1e6) / requests : Number.NaN,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
