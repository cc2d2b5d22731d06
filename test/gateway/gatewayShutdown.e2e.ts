import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, fetch } from 'undici';
import { probeKeepAliveDrain } from '../support/probeKeepAliveDrain.js';
import { runLoad } from '../support/runLoad.js';
import { wasNotAccepted } from '../support/wasNotAccepted.js';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { runGatewayProcess } from './fixtures/runGatewayProcess.js';
import { startShop, type Shop } from './fixtures/startShop.js';

let shop: Shop;

beforeAll(async () => {
  shop = await startShop();
});

afterAll(async () => {
  releaseSlowFields();
  await shop?.stop();
});

describe('portico gateway on SIGTERM under load', () => {
  it('fails /ready at once, refuses new connections, completes every accepted request, and exits 0', async () => {
    const run = runGatewayProcess(['--supergraph', shop.supergraphPath, '--port', '0', '--host', '127.0.0.1']);
    const origin = `http://127.0.0.1:${await run.port}`;
    const dispatcher = new Agent({ connections: 8 });

    // Requests the gateway has surely accepted: they wait in the subgraph until released. Each
    // has its own tag, so that de-duplication does not fold them into one subgraph request.
    const tags = ['sigterm-1', 'sigterm-2', 'sigterm-3'];
    const slow = tags.map((tag) => postGraphQL(origin, { query: `{ slow: slowField(tag: "${tag}") }` }, {}, dispatcher));
    await vi.waitFor(() => expect(tags.map(pendingSlowFields)).toEqual([1, 1, 1]), { timeout: 10_000 });

    let phase = 'serving';
    const query = { query: '{ topProducts(first: 2) { name reviews { body } } }' };
    const load = runLoad({ concurrency: 4, maxRequests: 3000, phase: () => phase, send: () => postGraphQL(origin, query, {}, dispatcher) });
    await vi.waitFor(() => expect(load.count('serving')).toBeGreaterThanOrEqual(30), { timeout: 10_000 });

    phase = 'stopping';
    run.child.kill('SIGTERM');
    // /ready stops answering 200 at once: 503 while the port is still open, refused after.
    await vi.waitFor(async () => {
      const ready = await fetch(`${origin}/ready`).then(
        (response) => response.status,
        () => 'refused',
      );
      expect(ready).not.toBe(200);
    });
    await vi.waitFor(async () =>
      expect(
        await fetch(`${origin}/health`).then(
          () => 'open',
          () => 'refused',
        ),
      ).toBe('refused'),
    );

    releaseSlowFields();
    for (const { response, body } of await Promise.all(slow)) {
      expect(response.status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data?.slow).toBe('finally');
    }
    expect(await run.exited).toBe(0);
    await load.stop();
    await dispatcher.close();

    for (const { reply } of load.replies) {
      if (reply instanceof Error) {
        expect(wasNotAccepted(reply), String(reply.cause ?? reply)).toBe(true);
        continue;
      }
      expect(reply.response.status).toBe(200);
      expect(reply.body.errors).toBeUndefined();
    }
    expect(load.replies.filter(({ reply }) => !(reply instanceof Error)).length).toBeGreaterThanOrEqual(30);
    expect(run.output()).toContain('stopped');
  });

  it('under keep-alive load from several connections, answers every request it accepted, each after the drain began with connection: close, and resets none', async () => {
    const config = path.join(shop.dir, 'drain.yaml');
    // Time for the probe, as for a load balancer, to see /ready fail while the port is open.
    writeFileSync(config, 'server:\n  drainDelayMs: 300\n');
    const run = runGatewayProcess(['--config', config, '--supergraph', shop.supergraphPath, '--port', '0', '--host', '127.0.0.1']);
    const origin = `http://127.0.0.1:${await run.port}`;

    // Requests the gateway has surely accepted on keep-alive connections, still being processed
    // when the drain begins: they wait in the subgraph until the listener is closed.
    const dispatcher = new Agent({ connections: 4 });
    const tags = ['keepalive-1', 'keepalive-2', 'keepalive-3'];
    const slow = tags.map((tag) => postGraphQL(origin, { query: `{ slow: slowField(tag: "${tag}") }` }, {}, dispatcher));
    await vi.waitFor(() => expect(tags.map(pendingSlowFields)).toEqual([1, 1, 1]), { timeout: 10_000 });

    const result = await probeKeepAliveDrain({
      origin,
      child: run.child,
      exited: run.exited,
      body: JSON.stringify({ query: '{ topProducts(first: 2) { name reviews { body } } }' }),
      loadConnections: 4,
      idleConnections: 2,
      requestsBeforeSignal: 40,
      maxRequests: 2000,
      onClosed: releaseSlowFields,
    });
    for (const { response, body } of await Promise.all(slow)) {
      expect(response.status).toBe(200);
      expect(body).toEqual({ data: { slow: 'finally' } });
      expect(response.headers.get('connection')).toBe('close');
    }
    await dispatcher.close();

    expect(
      result.replies.filter((reply) => reply.error !== undefined),
      run.output(),
    ).toEqual([]);
    expect(result.replies.filter((reply) => reply.status !== 200)).toEqual([]);
    const afterDrain = result.replies.filter((reply) => reply.sentIn === 'draining' || reply.sentIn === 'closed');
    expect(afterDrain.filter((reply) => reply.connection !== 'close')).toEqual([]);
    // The idle keep-alive connections were not cut: each carried its request, during the drain or after the port closed.
    expect(
      result.replies
        .filter((reply) => reply.from.startsWith('idle-') && !reply.newConnection)
        .map((reply) => reply.sentIn)
        .sort(),
    ).toEqual(['closed', 'draining']);
    expect(result.readyFailedBeforeClose).toBe(true);
    expect(result.exitCode, run.output()).toBe(0);
  });
});
