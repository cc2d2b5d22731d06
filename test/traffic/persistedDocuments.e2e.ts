import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const apq = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

let redis: RunningRedis;
const gateways: RunningGateway[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await redis?.stop();
});
async function gateway(config: Record<string, unknown>): Promise<RunningGateway> {
  const started = await startTrafficGateway(config);
  gateways.push(started);
  return started;
}

describe('automatic persisted queries', () => {
  it.each(['memory', 'redis'])('round-trips in %s: miss, register, hit', async (store) => {
    const config = { redis: { url: redis.url }, persistedQueries: { store } };
    const [registrar, reader] = store === 'redis' ? [await gateway(config), await gateway(config)] : [await gateway(config), undefined];
    const query = `query Apq${store} { __typename }`;

    const miss = await send(registrar, { extensions: apq(query) });
    expect(miss.status).toBe(200);
    expect(miss.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await send(registrar, { query, extensions: apq(query) });
    expect(registered.data).toEqual({ __typename: 'Query' });

    // In Redis, another replica finds what this one registered.
    const hit = await send(reader ?? registrar, { extensions: apq(query) });
    expect(hit.status).toBe(200);
    expect(hit.errors).toBeUndefined();
    expect(hit.data).toEqual({ __typename: 'Query' });
  });

  it('runs a document read back from Redis only if it has the hash asked for and is within the limits', async () => {
    const keyPrefix = 'verified:';
    const gw = await gateway({ redis: { url: redis.url, keyPrefix }, persistedQueries: { store: 'redis' }, limits: { maxDocumentBytes: 100 } });
    const named = 'query Named { __typename }';
    const large = `query Large { __typename }\n# ${'x'.repeat(200)}`;
    const writer = new Redis(redis.url);
    try {
      // Anyone who can write Redis, or a replica with looser limits (Apollo Server's keys are `apq:<hash>`).
      await writer.set(`${keyPrefix}apq:apq:${sha256(named)}`, '{ topProducts(first: 2) { name upc } }');
      await writer.set(`${keyPrefix}apq:apq:${sha256(large)}`, large);
    } finally {
      writer.disconnect();
    }
    for (const query of [named, large]) {
      const miss = await send(gw, { extensions: apq(query) });
      expect(miss.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(miss.data).toBeUndefined();
    }
    // The client then sends the document in full, which the limits judge as any other.
    const refused = await send(gw, { query: large, extensions: apq(large) });
    expect(refused.errors?.[0]?.extensions?.code).toBe('MAX_DOCUMENT_BYTES_EXCEEDED');
    // Sent in full, a document within the limits replaces what was stored under its hash.
    expect((await send(gw, { query: named, extensions: apq(named) })).data).toEqual({ __typename: 'Query' });
    expect((await send(gw, { extensions: apq(named) })).data).toEqual({ __typename: 'Query' });
  });

  it('refuses a hash that does not match the document', async () => {
    const gw = await gateway({});
    const result = await send(gw, { query: '{ __typename }', extensions: apq('{ other }') });
    expect(result.status).toBe(400);
  });
});

describe('trusted documents', () => {
  const listed = 'query Listed { __typename }';
  let manifest: string;
  beforeAll(() => {
    manifest = path.join(mkdtempSync(path.join(tmpdir(), 'portico-manifest-')), 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(listed), name: 'Listed', type: 'query', body: listed }],
      }),
    );
  });

  it('require: runs manifest documents, by id alone or in full, and refuses any other', async () => {
    const gw = await gateway({ trustedDocuments: { mode: 'require', manifest } });
    expect((await send(gw, { extensions: apq(listed) })).data).toEqual({ __typename: 'Query' });
    expect((await send(gw, { query: listed })).data).toEqual({ __typename: 'Query' });

    const refused = await send(gw, { query: 'query Unlisted { __typename }' });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(refused.data).toBeUndefined();
    // Nor can an unlisted document be registered as an APQ and then run by hash.
    const unlisted = 'query Sneaky { __typename }';
    expect((await send(gw, { query: unlisted, extensions: apq(unlisted) })).status).toBe(400);
    expect((await send(gw, { extensions: apq(unlisted) })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('log-unknown: runs everything and logs what the manifest lacks', async () => {
    const gw = await gateway({ trustedDocuments: { mode: 'log-unknown', manifest } });
    expect((await send(gw, { query: 'query Unlisted { __typename }' })).data).toEqual({ __typename: 'Query' });
    expect((await send(gw, { query: listed })).data).toEqual({ __typename: 'Query' });
    const warnings = gw.logs.filter((line) => line.msg === 'operation not in the trusted document manifest');
    expect(warnings.map((line) => line.operationName)).toEqual(['Unlisted']);
  });

  it('off: runs anything without reading a manifest', async () => {
    const gw = await gateway({ trustedDocuments: { mode: 'off' } });
    expect((await send(gw, { query: 'query Unlisted { __typename }' })).data).toEqual({ __typename: 'Query' });
  });

  it('refuses to start with a file that is not a manifest', async () => {
    const bad = path.join(path.dirname(manifest), 'bad.json');
    writeFileSync(bad, JSON.stringify({ operations: [] }));
    await expect(gateway({ trustedDocuments: { mode: 'require', manifest: bad } })).rejects.toThrow(
      /trustedDocuments\.manifest: .*not an Apollo persisted query manifest/,
    );
  });
});
