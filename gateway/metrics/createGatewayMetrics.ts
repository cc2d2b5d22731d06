import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';
import type { BreakerState } from '../resilience/createSubgraphBreaker.js';
import type { AddressGateState } from '../traffic/createAddressGate.js';
import type { AdmissionState } from '../traffic/createAdmission.js';
import { createLabelBounds, type LabelBounds } from './createLabelBounds.js';

// Seconds; GraphQL requests span from a cached single fetch to a slow fan-out.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/**
 * The transports that deliver more than one result per operation: the `transport` label's only
 * values (`multipart` is Apollo's multipart subscriptions, `multipart_defer` `@defer`'s incremental delivery).
 */
export type StreamTransport = 'websocket' | 'sse' | 'multipart' | 'multipart_defer';

/** What a streaming transport holds now. */
export interface StreamTransportState {
  connections: number;
  /** Operations running (subscriptions streaming, on websocket any operation). */
  operations: number;
}

/** A labelled metric as the gateway uses it: every call's labels go through the label bounds. */
export interface BoundedMetric<L extends string> {
  name: string;
  labelNames: readonly L[];
  /** Counters: add `value` (1). Histograms: observe it. Gauges: set it. */
  record(labels: Partial<Record<L, string | number>>, value?: number): void;
}

/**
 * Every metric the gateway exports on `/metrics`, in one registry per gateway (so that tests
 * and several gateways in one process do not share counters). Names and labels are documented
 * in the README's "Metrics" section. Labelled metrics are only reachable through `BoundedMetric`,
 * whose every client-chosen label value is bounded (`metrics.maxLabelValues`, see createLabelBounds):
 * no caller can put a client's text into a label unbounded.
 */
export function createGatewayMetrics(maxLabelValues: number) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portico_' });
  const registers = [registry];
  const bounds = createLabelBounds(maxLabelValues);
  const labelled: BoundedMetric<string>[] = [];
  const keep = <L extends string>(metric: BoundedMetric<L>): BoundedMetric<L> => (labelled.push(metric), metric);
  const counter = <L extends string>(config: CounterConfiguration<L> & { labelNames: readonly L[] }) => {
    const metric = keep(bounded(new Counter({ ...config, registers }), config, bounds, (c, labels, value) => c.inc(labels, value ?? 1)));
    return { ...metric, inc: metric.record };
  };
  const histogram = <L extends string>(config: HistogramConfiguration<L> & { labelNames: readonly L[] }) => {
    const metric = keep(bounded(new Histogram({ ...config, registers }), config, bounds, (h, labels, value) => h.observe(labels, value ?? 0)));
    return { ...metric, observe: (labels: Partial<Record<L, string | number>>, value: number) => metric.record(labels, value) };
  };

  const breakerState = gauge(
    {
      name: 'portico_subgraph_breaker_state',
      help: 'Circuit breaker of each subgraph: 0 closed, 1 half-open, 2 open.',
      labelNames: ['subgraph'],
      // Across cluster workers, the worst state any worker's breaker is in (a sum would mean nothing).
      aggregator: 'max',
      registers,
    },
    bounds,
  );

  // Read when scraped: the admission control's state at that moment.
  let admission: (() => AdmissionState) | undefined;
  const admissionGauge = (name: string, help: string, read: (state: AdmissionState) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        if (admission) this.set(read(admission()));
      },
    });
  admissionGauge(
    'portico_admission_limit',
    'Operations allowed to execute at once (server.admission.maxConcurrent; moves under auto).',
    (state) => state.limit,
  );
  admissionGauge('portico_admission_in_flight', 'Operations executing now.', (state) => state.inFlight);
  admissionGauge('portico_admission_queued', 'Requests waiting for a slot.', (state) => state.queued);

  // Read when scraped: requests waiting for their address's turn (rateLimit.perAddress.maxInFlight).
  let addressGate: (() => AddressGateState) | undefined;
  new Gauge({
    name: 'portico_address_waiting',
    help: "Requests waiting for their address's turn: the address already has rateLimit.perAddress.maxInFlight being processed.",
    registers,
    collect() {
      if (addressGate) this.set(addressGate().waiting);
    },
  });

  // Read when scraped: operations waiting for their turn under rate-limit pacing (rateLimit.pace).
  let turnWaits: (() => number) | undefined;
  new Gauge({
    name: 'portico_rate_limit_pacing_waits',
    help: 'Operations waiting for their turn under rate-limit pacing (rateLimit.pace), their admission slots given back.',
    registers,
    collect() {
      if (turnWaits) this.set(turnWaits());
    },
  });

  // Read when scraped: each streaming transport's open connections and running operations.
  const streamTransports = new Map<StreamTransport, () => StreamTransportState>();
  const transportGauge = (name: string, help: string, read: (state: StreamTransportState) => number) => {
    const metric: BoundedMetric<'transport'> = keep(
      gauge(
        {
          name,
          help,
          labelNames: ['transport'],
          registers,
          collect() {
            for (const [transport, state] of streamTransports) metric.record({ transport }, read(state()));
          },
        },
        bounds,
      ),
    );
    return metric;
  };
  transportGauge(
    'portico_subscription_connections',
    'Open connections of each streaming transport (websocket, sse, multipart, multipart_defer); over HTTP, each open stream.',
    (state) => state.connections,
  );
  transportGauge(
    'portico_streaming_operations_active',
    'Operations running on each streaming transport: subscriptions and @defer answers, and on websocket every operation in flight.',
    (state) => state.operations,
  );

  // Read when scraped: subscriptions delivered now, and the upstreams they share.
  let subscriptions: (() => { active: number; upstreams: number }) | undefined;
  const subscriptionGauge = (name: string, help: string, read: (state: { active: number; upstreams: number }) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        if (subscriptions) this.set(read(subscriptions()));
      },
    });
  subscriptionGauge('portico_subscriptions_active', 'Subscriptions being delivered to clients now.', (state) => state.active);
  subscriptionGauge('portico_subscription_upstreams', 'Upstream subscriptions open now, each shared by its clients.', (state) => state.upstreams);

  return {
    registry,
    observeAdmission: (read: () => AdmissionState) => {
      admission = read;
    },
    observeAddressGate: (read: () => AddressGateState) => {
      addressGate = read;
    },
    observeTurnWaits: (read: () => number) => {
      turnWaits = read;
    },
    /** A streaming transport's state, read when scraped (the transport label is one of a fixed set). */
    observeStreamTransport: (transport: StreamTransport, read: () => StreamTransportState) => {
      streamTransports.set(transport, read);
    },
    streamConnectionCloses: counter({
      name: 'portico_subscription_connection_closes_total',
      help: 'Connections of the streaming transports closed, by transport and reason (client, complete, going_away, idle, init_timeout, heartbeat, bad_request, forbidden, token_expired, too_slow, message_too_big, internal_error).',
      labelNames: ['transport', 'reason'],
    }),
    observeSubscriptions: (read: () => { active: number; upstreams: number }) => {
      subscriptions = read;
    },
    subscriptionEvents: counter({
      name: 'portico_subscription_events_total',
      help: 'Subscription events, by direction: in (from subgraphs, once per upstream) and out (to clients).',
      labelNames: ['direction'],
    }),
    subscriptionFanOut: histogram({
      name: 'portico_subscription_fanout',
      help: 'Clients each upstream subscription event is delivered to.',
      labelNames: [],
      buckets: [1, 2, 5, 10, 50, 100, 1000, 10000],
    }),
    subscriptionReconnects: counter({
      name: 'portico_subscription_upstream_reconnects_total',
      help: 'Reconnects of upstream subscriptions after their subgraph or the network failed.',
      labelNames: ['subgraph'],
    }),
    requests: counter({
      name: 'portico_requests_total',
      help: 'GraphQL requests by operation name, type, outcome (success, partial, error) and client.',
      labelNames: ['operation_name', 'operation_type', 'outcome', 'client_name', 'client_version'],
    }),
    requestDuration: histogram({
      name: 'portico_request_duration_seconds',
      help: 'GraphQL request latency, from the parsed request to the response.',
      labelNames: ['operation_type', 'outcome'],
      buckets: LATENCY_BUCKETS,
    }),
    deprecatedFields: counter({
      name: 'portico_deprecated_field_usage_total',
      help: 'Operations that selected a @deprecated field, by field (Type.field) and client.',
      labelNames: ['field', 'client_name', 'client_version'],
    }),
    subgraphFetchDuration: histogram({
      name: 'portico_subgraph_fetch_duration_seconds',
      help: 'Latency of each attempt to call a subgraph.',
      labelNames: ['subgraph'],
      buckets: LATENCY_BUCKETS,
    }),
    subgraphFetches: counter({
      name: 'portico_subgraph_fetches_total',
      help: 'Attempts to call a subgraph, by outcome: success or the error code.',
      labelNames: ['subgraph', 'outcome'],
    }),
    subgraphRetries: counter({
      name: 'portico_subgraph_retries_total',
      help: 'Retries of failed subgraph queries.',
      labelNames: ['subgraph'],
    }),
    subgraphDeduplicated: counter({
      name: 'portico_subgraph_deduplicated_total',
      help: 'Subgraph requests saved by sharing an identical one in flight.',
      labelNames: ['subgraph'],
    }),
    setBreakerState: (subgraph: string, state: BreakerState) => breakerState.record({ subgraph }, BREAKER_VALUE[state]),
    /** Every labelled metric, for the test that proves none escapes the bounds. */
    labelled: (): readonly BoundedMetric<string>[] => [breakerState, ...labelled],
    queryPlanCache: counter({
      name: 'portico_query_plan_cache_total',
      help: 'Query plan cache lookups, by outcome: hit (planned before) or miss (planned now).',
      labelNames: ['outcome'],
    }),
    rejections: counter({
      name: 'portico_rejections_total',
      help: 'Requests refused before planning, by reason (rate_limit, demand_control, trusted_documents, body_limit, authentication, overloaded) and error code.',
      labelNames: ['reason', 'code'],
    }),
    connectionsRefused: counter({
      name: 'portico_connections_refused_total',
      help: 'Connections closed as they were accepted, by reason (per_address: the peer already holds rateLimit.perAddress.maxConnections open).',
      labelNames: ['reason'],
    }),
    supergraphReloads: counter({
      name: 'portico_supergraph_reloads_total',
      help: 'Supergraph reloads, by outcome: success, or failure (the previous supergraph kept serving).',
      labelNames: ['outcome'],
    }),
  };
}

/** A gauge with labels, through the bounds. */
function gauge<L extends string>(config: GaugeConfiguration<L> & { labelNames: readonly L[] }, bounds: LabelBounds): BoundedMetric<L> {
  return bounded(new Gauge(config), config, bounds, (metric, labels, value) => metric.set(labels, value ?? 0));
}

/** `metric`, reachable only through `record`, whose labels are bounded first; the series the bounds drop are removed. */
function bounded<M extends { remove(labels: Partial<Record<L, string | number>>): void }, L extends string>(
  metric: M,
  config: { name: string; labelNames: readonly L[] },
  bounds: LabelBounds,
  record: (metric: M, labels: Partial<Record<L, string | number>>, value: number | undefined) => void,
): BoundedMetric<L> {
  bounds.onDrop(config.name, (labels) => metric.remove(labels as Partial<Record<L, string | number>>));
  return {
    name: config.name,
    labelNames: config.labelNames,
    record: (labels, value) => record(metric, bounds.bound(config.name, labels) as Partial<Record<L, string | number>>, value),
  };
}
