import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../gateway/metrics/createGatewayMetrics.js';
import { MIN_USES, WINDOW_PER_VALUE } from '../../gateway/metrics/createFrequentValues.js';
import { CLIENT_CHOSEN_LABELS, createLabelBounds, OTHER } from '../../gateway/metrics/createLabelBounds.js';

describe('createLabelBounds', () => {
  it('keeps at most N values of a client-chosen label at a time and counts the rest as other', () => {
    const bounds = createLabelBounds(3);
    const seen = ['a', 'b', 'c', 'd', 'a', 'e', 'c'].map((operation_name) => bounds.bound('m', { operation_name }).operation_name);
    expect(seen).toEqual(['a', 'b', 'c', OTHER, 'a', OTHER, 'c']);
  });

  it('does not let invented names sent first freeze out an operation clients keep using (issue 15 item 6)', () => {
    const maxValues = 3;
    const bounds = createLabelBounds(maxValues);
    const removed: unknown[] = [];
    bounds.onDrop('m', (labels) => removed.push(labels));
    // Right after a deploy, an attacker takes every place with invented names...
    for (let i = 0; i < maxValues; i += 1) bounds.bound('m', { operation_name: `junk${i}` });
    expect(bounds.bound('m', { operation_name: 'GetUser' }).operation_name).toBe(OTHER);
    // ...and keeps inventing new ones, while a real operation keeps being used (1 request in 10).
    const window = WINDOW_PER_VALUE * maxValues;
    let reported = '';
    for (let i = 0; i < 2 * window; i += 1) {
      const operation_name = i % 10 === 0 ? 'GetUser' : `junk-${i}`;
      const bounded = bounds.bound('m', { operation_name }).operation_name;
      if (operation_name === 'GetUser') reported = String(bounded);
    }
    expect(reported).toBe('GetUser');
    // The invented names that held the places lost them, and their series were removed.
    expect(bounds.bound('m', { operation_name: 'junk0' }).operation_name).toBe(OTHER);
    expect(removed).toContainEqual({ operation_name: 'junk0' });
  });

  it('keeps a value used often enough in every window, and drops one that stops being used', () => {
    const bounds = createLabelBounds(2);
    const window = WINDOW_PER_VALUE * 2;
    for (let i = 0; i < 3 * window; i += 1) {
      const operation_name = i < window ? (i % 2 === 0 ? 'Old' : 'Steady') : i % 2 === 0 ? `new-${i}` : 'Steady';
      const bounded = bounds.bound('m', { operation_name }).operation_name;
      if (operation_name === 'Steady') expect(bounded).toBe('Steady');
    }
    expect(MIN_USES).toBeLessThan(window / 2);
  });

  it("keeps two series apart however a client-chosen value is spelt (no value can take another series' key)", () => {
    const bounds = createLabelBounds(10);
    // One client's name holds what a key separator and a version would look like, with no version;
    // another sends that name and that version: two series, each with its own labels.
    for (const spelt of ['x;client_version=y', 'x\u0001client_version\u0000y', 'x","client_version","y']) {
      const crafted = bounds.bound('requests', { client_name: spelt, outcome: 'success' });
      const plain = bounds.bound('requests', { client_name: 'x', client_version: 'y', outcome: 'success' });
      expect(crafted).toEqual({ client_name: spelt, outcome: 'success' });
      expect(plain).toEqual({ client_name: 'x', client_version: 'y', outcome: 'success' });
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (a, b, c) => {
        const labels = { client_name: a, operation_name: b, client_version: c, outcome: 'success' };
        const bounded = bounds.bound('fuzzed', labels);
        for (const label of ['client_name', 'operation_name', 'client_version'] as const) {
          if (labels[label] !== undefined && bounded[label] !== OTHER) expect(bounded[label]).toBe(labels[label]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never rewrites the labels the gateway chooses, even past the series cap', () => {
    const bounds = createLabelBounds(2);
    // 3 × 3 × 3 successful combinations (2 kept values and `other` each) fill the cap of 20 series...
    for (const operation_name of ['op0', 'op1', 'op2']) {
      for (const client_name of ['c0', 'c1', 'c2']) {
        for (const client_version of ['v0', 'v1', 'v2'])
          bounds.bound('requests', { operation_name, client_name, client_version, operation_type: 'query', outcome: 'success' });
      }
    }
    // ...and a real operation's error, a new series past it, is still an error.
    expect(bounds.bound('requests', { operation_name: 'op0', client_name: 'c0', client_version: 'v0', operation_type: 'mutation', outcome: 'error' })).toEqual({
      operation_name: OTHER,
      client_name: OTHER,
      client_version: OTHER,
      operation_type: 'mutation',
      outcome: 'error',
    });
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.constantFrom('success', 'partial', 'error'),
        fc.constantFrom('query', 'mutation', 'unknown'),
        (operation_name, client_name, outcome, operation_type) => {
          const bounded = bounds.bound('requests', { operation_name, client_name, client_version: client_name, operation_type, outcome });
          expect([bounded.outcome, bounded.operation_type]).toEqual([outcome, operation_type]);
        },
      ),
      { numRuns: 2000 },
    );
    for (const code of ['SUBGRAPH_TIMEOUT', 'SUBGRAPH_UNAVAILABLE', 'success']) {
      expect(bounds.bound('fetches', { subgraph: 'accounts', outcome: code })).toEqual({ subgraph: 'accounts', outcome: code });
    }
  });

  it('cuts values to 64 characters', () => {
    expect(createLabelBounds(5).bound('m', { operation_name: 'x'.repeat(1000) }).operation_name).toBe('x'.repeat(64));
    expect(createLabelBounds(5).bound('m', { subgraph: 'x'.repeat(1000) }).subgraph).toBe('x'.repeat(64));
  });

  it('caps the series of a metric, since bounded labels still multiply', () => {
    const bounds = createLabelBounds(10);
    const series = new Set<string>();
    for (let a = 0; a < 10; a += 1) {
      for (let b = 0; b < 10; b += 1) {
        for (let c = 0; c < 10; c += 1) {
          series.add(JSON.stringify(bounds.bound('m', { operation_name: `a${a}`, client_name: `b${b}`, client_version: `c${c}`, outcome: 'success' })));
        }
      }
    }
    // 100 series at most (10 × maxValues), plus the one with every client-chosen label `other`.
    expect(series.size).toBe(101);
  });

  it('takes label names and values such as __proto__ and constructor as plain data', () => {
    const bounds = createLabelBounds(2);
    expect(bounds.bound('m', { __proto__: 'x', constructor: 'y' } as Record<string, string>)).toEqual({ constructor: 'y' });
    expect(bounds.bound('m', { operation_name: '__proto__' }).operation_name).toBe('__proto__');
  });
});

describe('createGatewayMetrics', () => {
  it('bounds every client-chosen label of every labelled metric and its series, whatever clients send (no metric escapes the bounds)', async () => {
    const maxValues = 5;
    const metrics = createGatewayMetrics(maxValues);
    const labelled = metrics.labelled();
    // Every gateway metric in the registry (prom-client's process and Node.js ones aside, and the
    // unlabelled admission, subscription and pacing gauges) is one of the bounded ones: one registered outside the bounds fails here.
    const own = (await metrics.registry.getMetricsAsJSON()).filter((metric) =>
      /^portico_(?!process_|nodejs_|admission_|subscriptions_active$|subscription_upstreams$|address_waiting$|rate_limit_pacing_waits$)/.test(metric.name),
    );
    expect(own.map((metric) => metric.name).sort()).toEqual(labelled.map((metric) => metric.name).sort());

    // Client-chosen labels take generated text (some of it repeated, as real names are); the
    // gateway's own labels take values from a small fixed set, and must come out unchanged.
    const fixed = ['success', 'error', 'query'];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('Hot', 'Warm')), { minLength: 1, maxLength: 8 }),
        fc.nat(2),
        (values, pick) => {
          for (const metric of labelled) {
            metric.record(
              Object.fromEntries(
                metric.labelNames.map((label, index) => [label, CLIENT_CHOSEN_LABELS.has(label) ? values[index % values.length]! : fixed[pick]!]),
              ),
              1,
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
    for (const metric of await metrics.registry.getMetricsAsJSON()) {
      if (!labelled.some((bounded) => bounded.name === metric.name)) continue;
      const byLabel = new Map<string, Set<string>>();
      const series = new Set<string>();
      for (const { labels } of metric.values) {
        const { le: _bucket, ...own } = labels as Record<string, string | number>;
        series.add(JSON.stringify(own));
        for (const [label, value] of Object.entries(own)) {
          if (!byLabel.has(label)) byLabel.set(label, new Set());
          byLabel.get(label)!.add(String(value));
        }
      }
      for (const [label, values] of byLabel) {
        if (CLIENT_CHOSEN_LABELS.has(label)) expect(values.size, `${metric.name} ${label}`).toBeLessThanOrEqual(maxValues + 1);
        else for (const value of values) expect(fixed, `${metric.name} ${label}`).toContain(value);
      }
      // maxValues × 10 series with client-chosen values, plus one all-`other` series per combination of the gateway's values.
      expect(series.size, metric.name).toBeLessThanOrEqual(maxValues * 10 + fixed.length);
    }
  });
});
