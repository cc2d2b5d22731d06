import { createFrequentValues, type FrequentValues } from './createFrequentValues.js';

/** Label values as prom-client takes them. */
export type Labels = Partial<Record<string, string | number>>;

export interface LabelBounds {
  /** `labels` with every value cut to 64 characters and each client-chosen one bounded (a value not kept is `other`). */
  bound(metric: string, labels: Labels): Record<string, string | number>;
  /** `remove` is called with the labels of each series of `metric` that the bounds drop, for prom-client to forget it. */
  onDrop(metric: string, remove: (labels: Record<string, string | number>) => void): void;
}

/** What a client-chosen value is counted as when it is not kept. */
export const OTHER = 'other';
/**
 * The labels whose values a client chooses (the operation's name, the client name and version
 * headers). Every other label's values are the gateway's own, from a fixed set (outcomes, operation
 * types, error codes, rejection reasons, configured subgraphs, the schema's deprecated fields):
 * those are never rewritten, so that `outcome="error"` is always counted as such.
 */
export const CLIENT_CHOSEN_LABELS: ReadonlySet<string> = new Set(['operation_name', 'client_name', 'client_version']);
// A label is for grouping, not for storing input.
const MAX_VALUE_LENGTH = 64;
// Per-label bounds still multiply (names × clients × versions): series are capped as well.
const SERIES_PER_VALUE = 10;

interface MetricSeries {
  /** Series key → its labels. */
  series: Map<string, Record<string, string | number>>;
  /** Client-chosen label → value → keys of the series with it, to drop them when the value is dropped. */
  byValue: Map<string, Map<string, Set<string>>>;
  remove?: (labels: Record<string, string | number>) => void;
  /** The label names this metric was given so far, sorted: a series' key lists its labels in this order. */
  names: string[];
}

/**
 * The one gate every metric label goes through (createGatewayMetrics wraps every metric with it).
 * Client-chosen values (CLIENT_CHOSEN_LABELS) are the client's to invent: unbounded, 20,000
 * invented names are 20,000 series, a /metrics of megabytes and a gateway that grows. Each such
 * label keeps at most `maxValues` values at a time (createFrequentValues: those clients keep using,
 * so that a burst of invented names cannot freeze the set), the rest counting as `other`; a value
 * that stops being kept has its series removed. Each metric keeps at most `maxValues × 10` series
 * with client-chosen values; past that, a new series has its client-chosen labels set to `other`
 * (its gateway-chosen labels untouched). Memory and output are bounded whatever clients send.
 */
export function createLabelBounds(maxValues: number): LabelBounds {
  const metrics = new Map<string, MetricSeries>();
  const maxSeries = maxValues * SERIES_PER_VALUE;
  const frequent = new Map<string, FrequentValues>();
  for (const label of CLIENT_CHOSEN_LABELS)
    frequent.set(
      label,
      createFrequentValues(maxValues, (value) => dropValue(label, value)),
    );

  const metricSeries = (metric: string): MetricSeries => {
    let seen = metrics.get(metric);
    if (!seen) metrics.set(metric, (seen = { series: new Map(), byValue: new Map(), names: [] }));
    return seen;
  };

  /** Forgets (here and in prom-client) every series with `value` as `label`. */
  function dropValue(label: string, value: string): void {
    for (const seen of metrics.values()) {
      for (const key of [...(seen.byValue.get(label)?.get(value) ?? [])]) {
        const labels = seen.series.get(key);
        if (!labels) continue;
        seen.series.delete(key);
        for (const [name, kept] of Object.entries(labels)) seen.byValue.get(name)?.get(String(kept))?.delete(key);
        seen.remove?.(labels);
      }
      seen.byValue.get(label)?.delete(value);
    }
  }

  return {
    onDrop(metric, remove) {
      metricSeries(metric).remove = remove;
    },
    bound(metric, labels) {
      const seen = metricSeries(metric);
      // A plain literal: its keys are the gateway's label names, never a client's text, and
      // prom-client reads it as it is (no copy is made or needed: nobody writes to it later).
      const bounded: Record<string, string | number> = {};
      let clientChosen = false;
      for (const label in labels) {
        const raw = labels[label];
        if (raw === undefined || !Object.hasOwn(labels, label)) continue;
        const text = String(raw);
        const value = text.length > MAX_VALUE_LENGTH ? text.slice(0, MAX_VALUE_LENGTH) : text;
        const values = frequent.get(label);
        if (values) clientChosen = true;
        bounded[label] = !values || values.use(value) ? value : OTHER;
      }
      if (!clientChosen) return bounded;
      const key = seriesKey(seen, bounded);
      const known = seen.series.get(key);
      if (known) return known;
      if (seen.series.size < maxSeries) {
        seen.series.set(key, bounded);
        for (const label of CLIENT_CHOSEN_LABELS) {
          const value = bounded[label];
          if (value === undefined || value === OTHER) continue;
          let byValue = seen.byValue.get(label);
          if (!byValue) seen.byValue.set(label, (byValue = new Map()));
          let keys = byValue.get(String(value));
          if (!keys) byValue.set(String(value), (keys = new Set()));
          keys.add(key);
        }
        return bounded;
      }
      // Over the cap: the client-chosen labels go to `other`, the gateway's own are kept as they are.
      for (const label of CLIENT_CHOSEN_LABELS) if (Object.hasOwn(bounded, label)) bounded[label] = OTHER;
      return bounded;
    },
  };
}

/**
 * The key of a series: its labels' names and values, in the metric's sorted order of names (the
 * same labels given in another order are the same series), each value after its length, so that
 * no client-chosen value can spell another series' key (a value holding a separator and a label
 * name, against that label given separately). Without a sort or an array per call: a metric has
 * a handful of label names, sorted again only when one is new.
 */
function seriesKey(seen: MetricSeries, labels: Record<string, string | number>): string {
  for (const label in labels) {
    if (!seen.names.includes(label)) seen.names = [...seen.names, label].sort();
  }
  let key = '';
  for (const label of seen.names) {
    const value = labels[label];
    if (value !== undefined && Object.hasOwn(labels, label)) key += `${label}=${String(value).length}:${value};`;
  }
  return key;
}
