import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanDrain, probeKeepAliveDrain } from '../support/probeKeepAliveDrain.js';
import { send } from './support/expectRefused.js';
import { INTERNALS } from './support/internalsPattern.js';
import { startTarget, type Target } from './support/startTarget.js';

for (const mode of ['development', 'production'] as const) {
  describe(`a ${mode} gateway's lifecycle`, () => {
    let target: Target;

    beforeAll(async () => {
      // Probing the subgraphs gives /ready the most to say: nothing of it may name a host.
      target = await startTarget({ mode, config: { server: { drainDelayMs: 300 } } });
    });

    afterAll(async () => {
      await target?.close();
    });

    it('answers /health and /ready with a status and a short reason, naming no file, URL or host', async () => {
      const health = await send(`${target.origin}/health`);
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'pass' });
      const ready = await send(`${target.origin}/ready`);
      expect(ready.status).toBe(200);
      // Development adds the supergraph's reloads; neither mode says where it comes from.
      expect(ready.body).toEqual(
        mode === 'production' ? { status: 'pass' } : { status: 'pass', details: { supergraph: { loadedAt: expect.any(String), reloads: 0 } } },
      );
      expect(JSON.stringify(ready.body)).not.toMatch(INTERNALS);
    });

    it('drains on SIGTERM under keep-alive load: no request sent to an open port is lost, every answer after the drain says connection: close, exit 0', async () => {
      const result = await probe(target);
      expectCleanDrain(result, target.output(), 60);
    });
  });
}

/** The probe both tests run: bounded (3,000 requests at most), six busy connections and two idle ones. */
function probe(target: Target) {
  return probeKeepAliveDrain({
    origin: target.origin,
    child: target.gateway.child,
    exited: target.gateway.exited,
    body: JSON.stringify({ query: '{ topProducts(first: 2) { upc name } }' }),
    loadConnections: 6,
    idleConnections: 2,
    requestsBeforeSignal: 60,
    maxRequests: 3000,
  });
}

describe('a gateway of two workers (Node cluster)', () => {
  let target: Target;

  beforeAll(async () => {
    // The probe's idle connections must still be usable once the listener has closed. undici stops
    // using a connection 2 s before the server's announced keep-alive timeout (5 s by default); on
    // a loaded machine two workers took longer than that to close their listeners, so undici
    // opened a new connection instead, which was refused. The drain still ends at once: each of
    // the probe's connections closes after an answer saying `connection: close`.
    target = await startTarget({ mode: 'production', config: { server: { workers: 2, drainDelayMs: 300, keepAliveTimeoutMs: 30_000 } } });
  });

  afterAll(async () => {
    await target?.close();
  });

  it('drains both workers on SIGTERM under keep-alive load, losing nothing, and exits 0', async () => {
    const result = await probe(target);
    expectCleanDrain(result, target.output(), 60);
  });
});
