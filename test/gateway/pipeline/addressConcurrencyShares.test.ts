import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../../gateway/GatewayContext.js';
import type { OperationExecutor } from '../../../gateway/pipeline/Feature.js';
import { createAddressConcurrency } from '../../../gateway/pipeline/rateLimits/createAddressConcurrency.js';
import type { SupergraphSnapshot } from '../../../gateway/supergraph/SupergraphSnapshot.js';
import { createAddressGate } from '../../../gateway/traffic/createAddressGate.js';
import type { LoopFairness } from '../../../gateway/traffic/createLoopFairness.js';
import { exchangeOf } from './fixtures/exchangeOf.js';

/** A fairness that records what the feature tells its accounting. */
function recordingFairness() {
  const events: string[] = [];
  const fairness: LoopFairness = {
    limitOf: (_address, maxInFlight) => maxInFlight,
    shares: { ready: (address) => events.push(`ready ${address}`), unready: (address) => events.push(`unready ${address}`) },
    sample: () => {},
    saturated: () => false,
    close: () => {},
  };
  return { fairness, events };
}

type RequestContext = Parameters<OperationExecutor>[0];
const snapshot = {} as SupergraphSnapshot;

describe('addressConcurrency with CPU fairness', () => {
  it('counts a request as ready while it holds its place, except while any of its subgraph calls is out, and balances every count', async () => {
    const { fairness, events } = recordingFairness();
    const feature = createAddressConcurrency(createAddressGate({ maxInFlight: 4, waitTimeoutMs: 1000 }), fairness);
    const exchange = exchangeOf({ clientAddress: '10.0.0.1' });
    let later: (() => Promise<unknown>) | undefined;
    // Two operations of a batch, each with two subgraph calls at once.
    const inner: OperationExecutor = async (requestContext) => {
      const context = requestContext.context as GatewayContext;
      const call = () => context.aroundSubgraphCalls!(async () => events.push('call'));
      await Promise.all([call(), call()]);
      later = call;
      return { data: {} };
    };
    const execute = feature.execute!(inner);
    const requestContext = { context: { signal: exchange.signal } } as unknown as RequestContext;
    await feature.handle!(exchange, async () => {
      await Promise.all([execute(requestContext, snapshot), execute(requestContext, snapshot)]);
      return { status: 200 };
    });
    expect(events.filter((event) => event !== 'call')).toEqual(['ready 10.0.0.1', 'unready 10.0.0.1', 'ready 10.0.0.1', 'unready 10.0.0.1']);
    // A call made once its place is given back (a deferred part's) counts nothing.
    events.length = 0;
    await later!();
    expect(events).toEqual(['call']);
  });

  it('leaves a request that holds no place (a WebSocket operation) alone', async () => {
    const { fairness, events } = recordingFairness();
    const feature = createAddressConcurrency(createAddressGate({ maxInFlight: 4, waitTimeoutMs: 1000 }), fairness);
    const context = { signal: new AbortController().signal } as GatewayContext;
    await feature.execute!(async () => ({ data: {} }))({ context } as unknown as RequestContext, snapshot);
    expect(context.aroundSubgraphCalls).toBeUndefined();
    expect(events).toEqual([]);
  });
});
