import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { createSubgraphServer } from '../../../subgraphs/kit/createSubgraphServer.js';

describe('a subgraph /ready', () => {
  it('fails until Apollo Server has started, passes while serving, and fails as soon as it drains', async () => {
    const server = createSubgraphServer({
      name: 'tiny',
      typeDefs: parse('type Query { hello: String }'),
      resolvers: { Query: { hello: () => 'hi' } },
      createContext: (scope) => scope,
      logger: pino({ level: 'silent' }),
      signing: { secret: 'ready-test-signing-secret', requireSignature: false, maxAgeMs: 60_000 },
    });
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
    const ready = async () => {
      const response = await fetch(`${origin}/ready`);
      return { status: response.status, body: (await response.json()) as { reason?: string } };
    };

    expect(await ready()).toMatchObject({ status: 503, body: { reason: 'the subgraph is starting' } });
    await server.start();
    expect(await ready()).toEqual({ status: 200, body: { status: 'pass' } });
    const stopping = server.stop();
    expect(
      await fetch(`${origin}/ready`).then(
        (r) => r.status,
        () => 'refused',
      ),
    ).not.toBe(200);
    await stopping;
  });
});
