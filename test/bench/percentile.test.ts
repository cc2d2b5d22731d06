import { describe, expect, it } from 'vitest';
import { latencySummary, percentile } from '../../bench/load/percentile.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('is the smallest value with at least p percent at or below it', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0.5)).toBe(1);
  });

  it('rounds the rank up on few values, never interpolates', () => {
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN for no values and refuses a p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(/got 101/);
  });

  it('summarises unsorted latencies without changing them', () => {
    const latencies = [5, 1, 4, 2, 3];
    expect(latencySummary(latencies)).toEqual({ p50: 3, p95: 5, p99: 5 });
    expect(latencies).toEqual([5, 1, 4, 2, 3]);
  });
});
