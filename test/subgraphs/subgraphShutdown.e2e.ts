import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, fetch } from 'undici';
import { expectCleanDrain, probeKeepAliveDrain } from '../support/probeKeepAliveDrain.js';
import { runEntryProcess } from '../support/runEntryProcess.js';
import { runLoad } from '../support/runLoad.js';
import { startDemoBackends, type DemoBackends } from '../support/startDemoBackends.js';
import { wasNotAccepted } from '../support/wasNotAccepted.js';

let backends: DemoBackends;

beforeAll(async () => {
  backends = await startDemoBackends();
});

afterAll(async () => {
  await backends?.close();
});

describe('a subgraph process on SIGTERM under load', () => {
  it('is ready while serving, then refuses new connections, answers every accepted request, and exits 0', async () => {
    const run = runEntryProcess('subgraphs/products/index.ts', [], {
      PORT: '0',
      HOST: '127.0.0.1',
      CATALOG_SERVICE_ADDRESS: backends.catalogAddress,
      SHUTDOWN_GRACE_PERIOD_MS: '5000',
    });
    const origin = `http://127.0.0.1:${await run.port}`;
    expect((await fetch(`${origin}/ready`)).status).toBe(200);
    const dispatcher = new Agent({ connections: 8 });
    const post = async () => {
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ topProducts(first: 3) { name } }' }),
        dispatcher,
      });
      return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown } };
    };

    let phase = 'serving';
    const load = runLoad({ concurrency: 4, maxRequests: 3000, phase: () => phase, send: post });
    await vi.waitFor(() => expect(load.count('serving')).toBeGreaterThanOrEqual(30), { timeout: 10_000 });
    phase = 'stopping';
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await load.stop();
    await dispatcher.close();

    const names = backends.data.products.slice(0, 3).map(({ name }) => ({ name }));
    for (const { reply } of load.replies) {
      if (reply instanceof Error) {
        expect(wasNotAccepted(reply), String(reply.cause ?? reply)).toBe(true);
        continue;
      }
      expect(reply).toEqual({ status: 200, body: { data: { topProducts: names } } });
    }
    expect(run.output()).toContain('SIGTERM: draining requests in flight, then stopping');
  });

  // As the gateway's pooled connections see a rolling deploy of a subgraph: a request reset on a
  // kept-alive connection fails the client's mutation (never retried) and counts against the
  // subgraph's breaker.
  it('under keep-alive load from several connections, answers every request it accepted, each after the drain began with connection: close, and resets none', async () => {
    const run = runEntryProcess('subgraphs/products/index.ts', [], {
      PORT: '0',
      HOST: '127.0.0.1',
      CATALOG_SERVICE_ADDRESS: backends.catalogAddress,
      SHUTDOWN_GRACE_PERIOD_MS: '5000',
      // Time for the probe, as for a load balancer, to see /ready fail while the port is open.
      DRAIN_DELAY_MS: '300',
    });
    const origin = `http://127.0.0.1:${await run.port}`;
    const result = await probeKeepAliveDrain({
      origin,
      child: run.child,
      exited: run.exited,
      body: JSON.stringify({ query: '{ topProducts(first: 2) { upc name } }' }),
      loadConnections: 4,
      idleConnections: 2,
      requestsBeforeSignal: 40,
      maxRequests: 2000,
    });

    expectCleanDrain(result, run.output(), 40);
    expect(run.output()).toContain('not ready; the listener closes in 300 ms (DRAIN_DELAY_MS)');
  });
});
