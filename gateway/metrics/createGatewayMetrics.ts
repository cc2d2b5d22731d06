import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState } from '../resilience/createCircuitBreaker.js';
import type { AdmissionState } from '../traffic/createAdmission.js';

// Seconds; GraphQL requests span from a cached single fetch to a slow fan-out.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/**
 * Every metric the gateway exports on `/metrics`, in one registry per gateway (so that tests
 * and several gateways in one process do not share counters). Names and labels are documented
 * in the README's "Metrics" section.
 */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portico_' });
  const registers = [registry];

  const breakerState = new Gauge({
    name: 'portico_subgraph_breaker_state',
    help: 'Circuit breaker of each subgraph: 0 closed, 1 half-open, 2 open.',
    labelNames: ['subgraph'],
    // Across cluster workers, the worst state any worker's breaker is in (a sum would mean nothing).
    aggregator: 'max',
    registers,
  });

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
  admissionGauge('portico_admission_limit', 'Operations allowed to execute at once (server.admission.maxConcurrent; moves under auto).', (state) => state.limit);
  admissionGauge('portico_admission_in_flight', 'Operations executing now.', (state) => state.inFlight);
  admissionGauge('portico_admission_queued', 'Requests waiting for a slot.', (state) => state.queued);

  return {
    registry,
    observeAdmission: (read: () => AdmissionState) => {
      admission = read;
    },
    requests: new Counter({
      name: 'portico_requests_total',
      help: 'GraphQL requests by operation name, type, outcome (success, partial, error) and client.',
      labelNames: ['operation_name', 'operation_type', 'outcome', 'client_name', 'client_version'],
      registers,
    }),
    requestDuration: new Histogram({
      name: 'portico_request_duration_seconds',
      help: 'GraphQL request latency, from the parsed request to the response.',
      labelNames: ['operation_type', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    deprecatedFields: new Counter({
      name: 'portico_deprecated_field_usage_total',
      help: 'Operations that selected a @deprecated field, by field (Type.field) and client.',
      labelNames: ['field', 'client_name', 'client_version'],
      registers,
    }),
    subgraphFetchDuration: new Histogram({
      name: 'portico_subgraph_fetch_duration_seconds',
      help: 'Latency of each attempt to call a subgraph.',
      labelNames: ['subgraph'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    subgraphFetches: new Counter({
      name: 'portico_subgraph_fetches_total',
      help: 'Attempts to call a subgraph, by outcome: success or the error code.',
      labelNames: ['subgraph', 'outcome'],
      registers,
    }),
    subgraphRetries: new Counter({
      name: 'portico_subgraph_retries_total',
      help: 'Retries of failed subgraph queries.',
      labelNames: ['subgraph'],
      registers,
    }),
    subgraphDeduplicated: new Counter({
      name: 'portico_subgraph_deduplicated_total',
      help: 'Subgraph requests saved by sharing an identical one in flight.',
      labelNames: ['subgraph'],
      registers,
    }),
    setBreakerState: (subgraph: string, state: BreakerState) => breakerState.set({ subgraph }, BREAKER_VALUE[state]),
    queryPlanCache: new Counter({
      name: 'portico_query_plan_cache_total',
      help: 'Query plan cache lookups, by outcome: hit (planned before) or miss (planned now).',
      labelNames: ['outcome'],
      registers,
    }),
    rejections: new Counter({
      name: 'portico_rejections_total',
      help: 'Requests refused before planning, by reason (rate_limit, demand_control, trusted_documents, body_limit, authentication, overloaded) and error code.',
      labelNames: ['reason', 'code'],
      registers,
    }),
    supergraphReloads: new Counter({
      name: 'portico_supergraph_reloads_total',
      help: 'Supergraph reloads, by outcome: success, or failure (the previous supergraph kept serving).',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
