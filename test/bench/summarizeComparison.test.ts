import { describe, expect, it } from 'vitest';
import { summarizeComparison, type Slice } from '../../bench/compare/summarizeComparison.js';

const slice = (requests: number, cpuSeconds: number, latenciesMs: number[] = [1]): Slice => ({ seconds: 1, requests, cpuSeconds, latenciesMs });

describe('summarizeComparison', () => {
  it('sums each build and compares neighbouring slices, so drift touches both alike', () => {
    // The machine slows down over the run; the candidate is 10 % faster in every pair.
    const base = [slice(1000, 0.5, [1, 2]), slice(800, 0.5, [3]), slice(600, 0.5, [4])];
    const candidate = [slice(1100, 0.5, [1]), slice(880, 0.5, [2]), slice(660, 0.5, [5, 6])];
    const comparison = summarizeComparison(base, candidate);
    expect(comparison.base.requestsPerSecond).toBe(800);
    expect(comparison.candidate.requestsPerSecond).toBeCloseTo(880);
    expect(comparison.base.cpuPerRequestUs).toBeCloseTo(625);
    expect(comparison.candidate.p50Ms).toBe(2);
    expect(comparison.ratio.median).toBeCloseTo(1.1);
    expect(comparison.ratio.lowerQuartile).toBeCloseTo(1.1);
  });

  it('takes the median pair, not the mean, so one disturbed slice does not decide', () => {
    const base = [slice(100, 1), slice(100, 1), slice(100, 1)];
    const candidate = [slice(90, 1), slice(95, 1), slice(400, 1)];
    expect(summarizeComparison(base, candidate).ratio).toEqual({ median: 0.95, lowerQuartile: 0.9, upperQuartile: 4 });
  });

  it('refuses slices that do not pair up', () => {
    expect(() => summarizeComparison([slice(1, 1)], [])).toThrow(RangeError);
    expect(() => summarizeComparison([], [])).toThrow(RangeError);
  });
});
