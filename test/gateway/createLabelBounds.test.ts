import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../gateway/metrics/createGatewayMetrics.js';
import { createLabelBounds, OTHER } from '../../gateway/metrics/createLabelBounds.js';

describe('createLabelBounds', () => {
  it('keeps the first N distinct values of a label and counts the rest as other', () => {
    const bounds = createLabelBounds(3);
    const seen = ['a', 'b', 'c', 'd', 'a', 'e', 'c'].map((name) => bounds.bound('m', { name }).name);
    expect(seen).toEqual(['a', 'b', 'c', OTHER, 'a', OTHER, 'c']);
    // Per metric: another metric has its own N.
    expect(bounds.bound('n', { name: 'd' }).name).toBe('d');
  });

  it('cuts values to 64 characters', () => {
    expect(createLabelBounds(5).bound('m', { name: 'x'.repeat(1000) }).name).toBe('x'.repeat(64));
  });

  it('caps the series of a metric, since bounded labels still multiply', () => {
    const bounds = createLabelBounds(10);
    const series = new Set<string>();
    for (let a = 0; a < 10; a += 1) {
      for (let b = 0; b < 10; b += 1) {
        for (let c = 0; c < 10; c += 1) series.add(JSON.stringify(bounds.bound('m', { a: `a${a}`, b: `b${b}`, c: `c${c}` })));
      }
    }
    // 100 series at most (10 × maxValues), plus the one all-`other` series.
    expect(series.size).toBe(101);
  });

  it('takes label names and values such as __proto__ and constructor as plain data', () => {
    const bounds = createLabelBounds(2);
    expect(bounds.bound('m', { __proto__: 'x', constructor: 'y' } as Record<string, string>)).toEqual({ constructor: 'y' });
    expect(bounds.bound('m', { name: '__proto__' }).name).toBe('__proto__');
  });
});

describe('createGatewayMetrics', () => {
  it('bounds every label of every labelled metric, whatever values callers pass (no metric escapes the bounds)', async () => {
    const maxValues = 5;
    const metrics = createGatewayMetrics(maxValues);
    const labelled = metrics.labelled();
    // Every gateway metric in the registry (prom-client's process and Node.js ones aside, and the
    // unlabelled admission gauges) is one of the bounded ones: one registered outside the bounds fails here.
    const own = (await metrics.registry.getMetricsAsJSON()).filter((metric) => /^portico_(?!process_|nodejs_|admission_)/.test(metric.name));
    expect(own.map((metric) => metric.name).sort()).toEqual(labelled.map((metric) => metric.name).sort());

    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { minLength: 1, maxLength: 8 }), (values) => {
        for (const metric of labelled) {
          metric.record(Object.fromEntries(metric.labelNames.map((label, index) => [label, values[index % values.length]!])), 1);
        }
      }),
      { numRuns: 300 },
    );
    for (const metric of await metrics.registry.getMetricsAsJSON()) {
      if (!labelled.some((bounded) => bounded.name === metric.name)) continue;
      const byLabel = new Map<string, Set<string>>();
      for (const { labels } of metric.values) {
        for (const [label, value] of Object.entries(labels)) {
          if (label === 'le') continue;
          if (!byLabel.has(label)) byLabel.set(label, new Set());
          byLabel.get(label)!.add(String(value));
        }
      }
      for (const [label, values] of byLabel) expect(values.size, `${metric.name} ${label}`).toBeLessThanOrEqual(maxValues + 1);
    }
  });
});
