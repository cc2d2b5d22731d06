import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { send } from './support/expectRefused.js';
import { INTERNALS } from './support/internalsPattern.js';
import { startTarget, type Target } from './support/startTarget.js';

// Out of lifecycle.e2e.ts, which runs alone (its drains are timed): nothing here is timed, so it
// runs beside the other files.
describe('a production gateway whose /ready probes a subgraph that does not answer', () => {
  let target: Target;

  beforeAll(async () => {
    // Port 9 (discard) on loopback: nothing listens there, the connection is refused.
    target = await startTarget({
      mode: 'production',
      config: { server: { readyChecksSubgraphs: true }, subgraphs: { reviews: { url: 'http://127.0.0.1:9/graphql' } } },
    });
  });

  afterAll(async () => {
    await target?.close();
  });

  it('fails /ready with a short reason naming no file, URL or host, and logs the details', async () => {
    const reply = await send(`${target.origin}/ready`);
    expect(reply.status).toBe(503);
    expect(JSON.stringify(reply.body)).not.toMatch(INTERNALS);
    expect(reply.body).toMatchObject({ status: 'fail', errors: [{ extensions: { code: 'SERVICE_NOT_READY' } }] });
    // Liveness is the process's own: it does not depend on the subgraphs.
    expect((await send(`${target.origin}/health`)).body).toEqual({ status: 'pass' });
    // The operator still learns where, from the log.
    await vi.waitFor(() => expect(target.output()).toContain('127.0.0.1:9'));
  });
});
