import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floodRequests } from '../../bench/attack/floodRequests.js';
import { runLegitimateClient } from '../../bench/attack/runLegitimateClient.js';

// The "under attack" scenario is only meaningful if the attacker and the legitimate client are
// two addresses to the gateway's per-address limit: undici ignores `connect.localAddress`, and
// once both came from 127.0.0.1 every limit the attacker met refused the client too.
let server: Server;
let url: string;
const peers = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    peers.add(req.socket.remoteAddress ?? '');
    req.resume();
    req.once('end', () => res.end('{}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('bench/attack source addresses', () => {
  it('floods from the attacker address it is given', async () => {
    peers.clear();
    const signal = new AbortController().signal;
    const tally = await floodRequests({ url, localAddress: '127.0.0.2', signal }, { concurrency: 2, maxRequests: 4, next: () => ({ body: '{}' }) });
    expect(tally.byStatus['200']).toBe(4);
    expect([...peers]).toEqual(['127.0.0.2']);
  });

  it('runs each legitimate client from its own address', async () => {
    peers.clear();
    const run = await runLegitimateClient({ url, body: '{}', concurrency: 1, localAddresses: ['127.0.0.3', '127.0.0.4'], durationMs: 50, isRight: () => true });
    expect(run.succeeded).toBeGreaterThan(0);
    expect([...peers].sort()).toEqual(['127.0.0.3', '127.0.0.4']);
  });
});
