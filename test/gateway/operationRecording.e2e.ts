import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { composeSupergraph } from '../../cli/compose/composeSupergraph.js';
import { readSupergraphConfig } from '../../cli/compose/readSupergraphConfig.js';
import type { RecordedOperation } from '../../gateway/pipeline/operationRecording/RecordedOperation.js';
import { runPortico } from '../cli/helpers/runPortico.js';
import { runPorticoInProcess } from '../cli/helpers/runPorticoInProcess.js';
import { startDemoBackends, type DemoBackends } from '../support/startDemoBackends.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { startSubgraphs, testSigningSecret, type RunningSubgraphs } from '../support/startSubgraphs.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';

const dir = mkdtempSync(path.join(tmpdir(), 'portico-recording-'));
let backends: DemoBackends;
let subgraphs: RunningSubgraphs;
let redis: RunningRedis;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  backends = await startDemoBackends();
  subgraphs = await startSubgraphs(backends, { requireSignature: true });
  redis = await startRedis();
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await subgraphs?.close();
  await backends?.close();
  await redis?.stop();
});

let named = 0;
// Production mode: the metrics listener (and /operations with it) is internal, on a port of its own.
async function gatewayWith(config: Record<string, unknown>): Promise<RunningGateway> {
  named += 1;
  const gateway = await startGateway(dir, `gateway-${named}`, {
    mode: 'production',
    supergraph: { path: resolve('schema/supergraph.graphql') },
    subgraphSigning: { secret: testSigningSecret },
    subgraphs: Object.fromEntries(Object.entries(subgraphs.urls).map(([subgraph, url]) => [subgraph, { url }])),
    metrics: { port: 0, host: '127.0.0.1' },
    ...config,
  });
  gateways.push(gateway);
  return gateway;
}

const listenerOf = (gateway: RunningGateway) => `http://127.0.0.1:${gateway.server.metricsAddress()!.port}`;

async function recorded(gateway: RunningGateway): Promise<RecordedOperation[]> {
  const response = await fetch(`${listenerOf(gateway)}/operations`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { operations: RecordedOperation[] }).operations;
}

const web = { 'apollographql-client-name': 'web', 'apollographql-client-version': '1.4.0' };
const ios = { 'apollographql-client-name': 'ios', 'apollographql-client-version': '2.0' };
const topNames = 'query TopNames { topProducts(first: 2) { name } }';
const viewer = 'query Viewer { user(id: "1") { id username } }';
// As the record keeps them: literals blanked, in print's layout.
const recordedTopNames = 'query TopNames {\n  topProducts(first: 0) {\n    name\n  }\n}';
const recordedViewer = 'query Viewer {\n  user(id: "") {\n    id\n    username\n  }\n}';

async function run(gateway: RunningGateway, query: string, headers: Record<string, string> = {}) {
  const { response, body } = await postGraphQL(gateway.origin, { query }, headers);
  return { status: response.status, body };
}

describe('operation recording, in memory', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await gatewayWith({});
  });

  it('records each executed operation with its client, count and last-seen time; refused ones are not', async () => {
    const before = Date.now();
    expect((await run(gateway, topNames, web)).body.errors).toBeUndefined();
    expect((await run(gateway, topNames, web)).body.errors).toBeUndefined();
    expect((await run(gateway, viewer, ios)).body.errors).toBeUndefined();
    expect((await run(gateway, '{ nope }', web)).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const operations = await recorded(gateway);
    expect(operations).toHaveLength(2);
    // The most recently seen first.
    expect(operations[0]).toMatchObject({ operationName: 'Viewer', clientName: 'ios', clientVersion: '2.0', document: recordedViewer, count: 1 });
    expect(operations[1]).toMatchObject({ operationName: 'TopNames', clientName: 'web', clientVersion: '1.4.0', document: recordedTopNames, count: 2 });
    expect(operations[1]!.hash).toBe(createHash('sha256').update(recordedTopNames).digest('hex'));
    expect(Date.parse(operations[1]!.lastSeen)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('keeps no literal a client inlined, and counts documents differing only in literals as one', async () => {
    const lookup = await gatewayWith({});
    for (const upc of ['PII-alice@example.com', 'PII-bob@example.com'])
      expect((await run(lookup, `query Lookup { product(upc: "${upc}") { upc } topProducts(first: 3) { upc } }`, web)).status).toBe(200);
    const listing = await fetch(`${listenerOf(lookup)}/operations`);
    const text = await listing.text();
    expect(text).not.toContain('PII');
    expect(text).not.toContain('first: 3');
    expect((JSON.parse(text) as { operations: RecordedOperation[] }).operations).toEqual([
      expect.objectContaining({ operationName: 'Lookup', count: 2, document: expect.stringContaining('product(upc: "")') }),
    ]);
  });

  it('is served on the internal listener only, never on the public port', async () => {
    const response = await fetch(`${gateway.origin}/operations`);
    expect(response.status).toBe(404);
    const post = await fetch(`${listenerOf(gateway)}/operations`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('keeps at most operationRecording.maxOperations, the most recently seen', async () => {
    const small = await gatewayWith({ operationRecording: { maxOperations: 5 } });
    for (let i = 0; i < 20; i += 1) await run(small, `query Op${i} { topProducts(first: 1) { upc } }`, web);
    const operations = await recorded(small);
    expect(operations.map((operation) => operation.operationName)).toEqual(['Op19', 'Op18', 'Op17', 'Op16', 'Op15']);
  });

  it('keeps a long document by hash and name only', async () => {
    const short = await gatewayWith({ operationRecording: { maxDocumentBytes: 20 } });
    await run(short, topNames, web);
    expect(await recorded(short)).toEqual([expect.objectContaining({ operationName: 'TopNames', document: null })]);
  });

  it('records nothing with operationRecording.enabled: false, and serves no /operations', async () => {
    const off = await gatewayWith({ operationRecording: { enabled: false } });
    await run(off, topNames, web);
    expect((await fetch(`${listenerOf(off)}/operations`)).status).toBe(404);
  });

  it('is what portico check names, by client, for a breaking change', async () => {
    const proposed = path.join(dir, 'accounts.graphql');
    writeFileSync(proposed, readFileSync('schema/accounts.graphql', 'utf8').replace(/\n {2}"[^"]*"\n {2}username: String!/, ''));
    // In this process (portico-check.e2e.ts runs the command itself): a spawn loads composition again.
    const result = await runPorticoInProcess(['check', 'accounts', '--schema', proposed, '--operations', listenerOf(gateway)]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('against 0 manifest operation(s) and 2 operation(s) the gateway has seen.');
    expect(result.stdout).toMatch(/used by Viewer {2}\(client ios 2\.0, seen 1×, last \d{4}-\d\d-\d\dT/);
    expect(result.stdout).not.toContain('used by TopNames');
  });

  it('is what portico usage reads: who still selects each deprecated field, and when last', async () => {
    // The supergraph after step 2 of the workflow: User.username deprecated.
    const accounts = path.join(dir, 'accounts-deprecated.graphql');
    writeFileSync(
      accounts,
      readFileSync('schema/accounts.graphql', 'utf8').replace('  username: String!', '  username: String! @deprecated(reason: "Use name.")'),
    );
    const config = readSupergraphConfig('schema/supergraph.yaml');
    const composed = composeSupergraph({
      ...config,
      subgraphs: config.subgraphs.map((subgraph) => (subgraph.name === 'accounts' ? { ...subgraph, schemaFile: accounts } : subgraph)),
    });
    if (!composed.ok) throw new Error(JSON.stringify(composed.errors));
    const supergraph = path.join(dir, 'supergraph-deprecated.graphql');
    writeFileSync(supergraph, composed.supergraphSdl);

    const text = await runPortico('.', ['usage', '--supergraph', supergraph, '--operations', listenerOf(gateway)]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('User.username  (deprecated: Use name.)');
    expect(text.stdout).toMatch(/ {2}Viewer {2}\(client ios 2\.0, seen 1×, last \d{4}-/);

    // The text report through the command itself, the JSON one in this process.
    const json = await runPorticoInProcess(['usage', '--supergraph', supergraph, '--operations', listenerOf(gateway), '--format', 'json']);
    const report = JSON.parse(json.stdout) as { version: number; fields: Array<{ field: string; usedBy: unknown[]; lastSeen: string | null }> };
    expect(report.version).toBe(1);
    expect(report.fields).toEqual([
      {
        field: 'User.username',
        reason: 'Use name.',
        usedBy: [expect.objectContaining({ name: 'Viewer', client: 'ios', clientVersion: '2.0', source: 'seen', count: 1 })],
        lastSeen: expect.stringMatching(/^\d{4}-/),
      },
    ]);

    // Once no known operation selects it, it says so.
    const unused = await runPortico('.', ['usage', '--supergraph', supergraph]);
    expect(unused.stdout).toContain('unused: no known operation selects it');
  });
});

describe('operation recording, in Redis', () => {
  const redisConfig = (maxOperations: number) => ({
    redis: { url: redis.url, keyPrefix: 'rec-test:' },
    operationRecording: { store: 'redis', maxOperations, flushIntervalMs: 50, ttlSeconds: 600 },
  });

  it('writes in batches to a bounded sorted set and hashes with a TTL, and every replica reads them', async () => {
    const one = await gatewayWith(redisConfig(5));
    const two = await gatewayWith(redisConfig(5));
    await run(one, topNames, web);
    await run(one, topNames, web);
    await run(two, viewer, ios);
    // A batch holds at most maxOperations (5) distinct operations; more before the next write are
    // dropped (and logged). The 50 ms timer alone left that to the machine's speed (a busy CI
    // machine ran five operations between two writes and dropped Op11), so a read, which writes
    // what is pending, comes after every four.
    for (let i = 0; i < 12; i += 1) {
      await run(one, `query Op${i} { topProducts(first: 1) { upc } }`, web);
      if (i % 4 === 3) await recorded(one);
    }
    // Reading writes what is pending first; each replica has its own batch.
    await recorded(one);
    const operations = await recorded(two);
    // The least used go first: TopNames, run twice, outlives a dozen operations run once; of those
    // (seen within the same second or so, where the rank cannot tell their ages apart), the last is kept.
    expect(operations).toHaveLength(5);
    expect(operations[0]!.operationName).toBe('Op11');
    expect(operations.find((operation) => operation.operationName === 'TopNames')?.count).toBe(2);

    const client = new Redis(redis.url);
    try {
      expect(await client.zcard('rec-test:{operations}:seen')).toBe(5);
      expect(await client.hlen('rec-test:{operations}:info')).toBe(5);
      expect(await client.hlen('rec-test:{operations}:counts')).toBe(5);
      expect(await client.zcard('rec-test:{operations}:rank')).toBe(5);
      for (const key of ['seen', 'info', 'counts', 'rank', 'clients']) {
        const ttl = await client.ttl(`rec-test:{operations}:${key}`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(600);
      }
    } finally {
      client.disconnect();
    }
  });

  it('costs requests nothing while Redis is away: the batch is dropped and logged, and recording resumes', async () => {
    const gateway = await gatewayWith({ ...redisConfig(50), redis: { url: redis.url, keyPrefix: 'rec-away:' } });
    await redis.stop();
    try {
      for (let i = 0; i < 3; i += 1) expect((await run(gateway, topNames, web)).body.errors).toBeUndefined();
      // The listing needs Redis: it fails on the internal listener only.
      expect((await fetch(`${listenerOf(gateway)}/operations`)).status).toBeGreaterThanOrEqual(500);
      expect(gateway.logs.some((line) => String(line.msg).startsWith('operation recording: could not write to Redis'))).toBe(true);
    } finally {
      await redis.start();
    }
    await vi.waitFor(
      async () => {
        await run(gateway, viewer, ios);
        expect((await recorded(gateway)).map((operation) => operation.operationName)).toContain('Viewer');
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it('leaves out, and logs, entries in Redis that are not operation descriptions', async () => {
    const gateway = await gatewayWith({ ...redisConfig(50), redis: { url: redis.url, keyPrefix: 'rec-bad:' } });
    await run(gateway, topNames, web);
    await recorded(gateway);
    const client = new Redis(redis.url);
    try {
      for (const [field, info] of [
        ['bogus', 'not json{'],
        ['number', '1'],
        ['shape', JSON.stringify({ hash: 42, clientName: 'x' })],
      ]) {
        await client.zadd('rec-bad:{operations}:seen', Date.now(), field!);
        await client.hset('rec-bad:{operations}:info', field!, info!);
      }
    } finally {
      client.disconnect();
    }
    expect(await recorded(gateway)).toEqual([expect.objectContaining({ operationName: 'TopNames', clientName: 'web', document: recordedTopNames, count: 1 })]);
    expect(gateway.logs.find((line) => String(line.msg).includes('not operation descriptions'))).toMatchObject({ unreadable: 3 });
  });

  it('counts across replicas', async () => {
    const one = await gatewayWith({ ...redisConfig(50), redis: { url: redis.url, keyPrefix: 'rec-count:' } });
    const two = await gatewayWith({ ...redisConfig(50), redis: { url: redis.url, keyPrefix: 'rec-count:' } });
    await run(one, topNames, web);
    await run(two, topNames, web);
    await run(two, topNames, web);
    await recorded(one);
    expect(await recorded(two)).toEqual([expect.objectContaining({ operationName: 'TopNames', clientName: 'web', document: recordedTopNames, count: 3 })]);
  });
});
