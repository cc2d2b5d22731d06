/** Label values as prom-client takes them. */
export type Labels = Partial<Record<string, string | number>>;

export interface LabelBounds {
  /** `labels` with every value bounded: a value past the first `maxValues` of its label, or of a series past the metric's cap, is `other`. */
  bound(metric: string, labels: Labels): Record<string, string | number>;
}

/** What a value is counted as once its label has `maxValues` others. */
export const OTHER = 'other';
// A label is for grouping, not for storing input.
const MAX_VALUE_LENGTH = 64;
// Per-label bounds still multiply (names × clients × versions): series are capped as well.
const SERIES_PER_VALUE = 10;

/**
 * The one gate every metric label goes through (createGatewayMetrics wraps every metric with it).
 * Operation names and client names and versions are the client's to choose: unbounded, 20,000
 * invented names are 20,000 series that are never pruned, a /metrics of megabytes and a gateway
 * that grows. Each label keeps the first `maxValues` distinct values it sees (cut to 64
 * characters) and counts the rest as `other`; each metric keeps at most `maxValues × 10` series,
 * further ones going to the all-`other` series. Memory and output are bounded whatever clients send.
 */
export function createLabelBounds(maxValues: number): LabelBounds {
  const metrics = new Map<string, { values: Map<string, Set<string>>; series: Set<string> }>();
  const maxSeries = maxValues * SERIES_PER_VALUE;

  return {
    bound(metric, labels) {
      let seen = metrics.get(metric);
      if (!seen) metrics.set(metric, (seen = { values: new Map(), series: new Set() }));
      const bounded: Record<string, string | number> = Object.create(null) as Record<string, string | number>;
      for (const [label, raw] of Object.entries(labels)) {
        if (raw === undefined) continue;
        const value = String(raw).slice(0, MAX_VALUE_LENGTH);
        let values = seen.values.get(label);
        if (!values) seen.values.set(label, (values = new Set()));
        if (!values.has(value) && values.size >= maxValues) {
          bounded[label] = OTHER;
          continue;
        }
        values.add(value);
        bounded[label] = value;
      }
      const key = JSON.stringify(Object.entries(bounded).sort(([a], [b]) => (a < b ? -1 : 1)));
      if (seen.series.has(key)) return { ...bounded };
      if (seen.series.size < maxSeries) {
        seen.series.add(key);
        return { ...bounded };
      }
      return Object.fromEntries(Object.keys(bounded).map((label) => [label, OTHER]));
    },
  };
}
