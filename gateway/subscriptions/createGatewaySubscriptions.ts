import { trace } from '@opentelemetry/api';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { createGatewayMetrics } from '../metrics/createGatewayMetrics.js';
import { createAddressResolver } from '../traffic/createAddressResolver.js';
import { createCallerHeaders } from '../subgraphRequests/createCallerHeaders.js';
import type { SubgraphCaller, SubgraphClient } from '../subgraphRequests/createSubgraphClient.js';
import type { createHeaderPropagation } from '../subgraphRequests/createHeaderPropagation.js';
import type { SupergraphSubgraph } from '../supergraph/SupergraphSnapshot.js';
import { createSubscriptions } from './createSubscriptions.js';
import { openerFor } from './openerFor.js';

/** The gateway's subscriptions: each subgraph's transport and caller headers as config says, observed by the metrics. */
export function createGatewaySubscriptions(
  config: GatewayConfig,
  subgraphs: () => readonly SupergraphSubgraph[],
  propagateHeaders: ReturnType<typeof createHeaderPropagation>,
  metrics: ReturnType<typeof createGatewayMetrics> | undefined,
  tracingOn: boolean,
  clientOf?: (subgraph: string) => SubgraphClient | undefined,
) {
  const settingsOf = (name: string) => (Object.hasOwn(config.subgraphs, name) ? config.subgraphs[name] : undefined) ?? config.upstream;
  // The client's address as rate limiting resolves it (through `rateLimit.trustedProxies`).
  const addressOf = createAddressResolver(config.rateLimit.trustedProxies);
  const callerHeaders = new Map<string, ReturnType<typeof createCallerHeaders>>();
  const callerHeadersOf = (name: string, caller: SubgraphCaller) => {
    let headersOf = callerHeaders.get(name);
    if (!headersOf) {
      headersOf = createCallerHeaders({
        propagateHeaders: (incoming) => propagateHeaders(name, incoming),
        forwardClaims: config.authentication.forwardClaims,
        forwardToken: config.authentication.forwardToken,
      });
      callerHeaders.set(name, headersOf);
    }
    return headersOf(caller);
  };
  const subscriptions = createSubscriptions({
    urlOf: (name) => subgraphs().find((subgraph) => subgraph.name === name)?.url,
    callerHeadersOf,
    // Header rules may pass each subgraph other headers: what every one is told decides who shares an event.
    callerKeyOf: (caller) => JSON.stringify(subgraphs().map((subgraph) => [subgraph.name, callerHeadersOf(subgraph.name, caller)])),
    openerOf: (name) => openerFor(settingsOf(name).subscriptionTransport),
    signingSecret: config.subgraphSigning.secret,
    requestTimeoutMs: config.server.requestTimeoutMs,
    maxSubscriptions: config.upstream.maxSubscriptions,
    maxSubscriptionsPerAddress: config.upstream.maxSubscriptionsPerAddress,
    maxUpstreams: config.upstream.maxSubscriptionUpstreams,
    addressOf: (caller) => addressOf(caller.context.clientAddress, caller.clientHeaders.get('x-forwarded-for') ?? undefined),
    // An upstream the subgraph fails to open or drops counts against it, as a failed fetch does.
    ...(clientOf ? { onUpstreamHealth: (name: string, healthy: boolean) => clientOf(name)?.recordSubscription?.(healthy) } : {}),
    ...(tracingOn ? { tracer: trace.getTracer('portico-gateway') } : {}),
    ...(metrics
      ? {
          observer: {
            eventIn: (clients: number) => {
              metrics.subscriptionEvents.inc({ direction: 'in' });
              metrics.subscriptionFanOut.observe({}, clients);
            },
            eventOut: () => metrics.subscriptionEvents.inc({ direction: 'out' }),
            reconnect: (subgraph: string) => metrics.subscriptionReconnects.inc({ subgraph }),
          },
        }
      : {}),
  });
  metrics?.observeSubscriptions(() => ({ active: subscriptions.active(), upstreams: subscriptions.upstreams() }));
  return subscriptions;
}
