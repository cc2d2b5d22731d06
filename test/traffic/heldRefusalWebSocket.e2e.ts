import { afterAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { runOperation, wsClient } from '../gateway/websocket/webSocketClient.js';
import { startTrafficGateway } from './fixtures/startTrafficGateway.js';

let gateway: RunningGateway | undefined;
afterAll(async () => {
  await gateway?.stop();
});

describe('a refusal over WebSocket', () => {
  it('is never held: an operation over the per-address limit gets its 429 error at once', async () => {
    // Held far longer than the test may take: a held refusal would never come back in time. A
    // WebSocket operation runs on a stand-in request that no client closes; holding it would only
    // stall the connection's other operations.
    gateway = await startTrafficGateway({ rateLimit: { perAddress: { windowSeconds: 600, limit: 3, holdRefusalsMs: 600_000 } } });
    // One connection for every operation (its upgrade counts against the address too).
    const client = wsClient(`${gateway.origin.replace('http', 'ws')}/graphql`, { lazyCloseTimeout: 60_000 });
    try {
      const runs = [];
      for (let i = 0; i < 4; i += 1) runs.push(await runOperation(client, { query: '{ __typename }' }));
      expect(runs.slice(0, 2).map((run) => run.results[0]?.data)).toEqual([{ __typename: 'Query' }, { __typename: 'Query' }]);
      const refused = runs.at(-1)!;
      const errors = refused.results[0]?.errors ?? (Array.isArray(refused.error) ? refused.error : []);
      expect(errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'address' });
    } finally {
      await client.dispose();
    }
  }, 20_000);
});
