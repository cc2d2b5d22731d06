import { parse } from 'graphql';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { createDemandControl } from '../../../gateway/pipeline/demandControl/createDemandControl.js';
import { createPersistedDocuments } from '../../../gateway/pipeline/persistedDocuments/createPersistedDocuments.js';
import { createTurnWaits } from '../../../gateway/traffic/createTurnWaits.js';
import { createRateLimits } from '../../../gateway/pipeline/rateLimits/createRateLimits.js';
import { createVariableCoercion } from '../../../gateway/pipeline/variableCoercion/createVariableCoercion.js';
import { createAddressResolver } from '../../../gateway/traffic/createAddressResolver.js';
import { createOperationCost } from '../../../gateway/traffic/createOperationCost.js';
import { readCostDirectives } from '../../../gateway/traffic/readCostDirectives.js';
import { defaultLimits } from '../../traffic/fixtures/defaultLimits.js';
import { typeDefs, withFeatures } from './fixtures/runOperation.js';
import { rateLimitConfig } from './fixtures/rateLimitConfig.js';

const logger = pino({ level: 'silent' });
const cost = createOperationCost({ defaultListSize: 10 }, () => readCostDirectives(parse(typeDefs)));
const demandControl = (maxCost: number, exposeCost = true) => createDemandControl({ maxCost, defaultListSize: 10, exposeCost }, cost);
// Ten items, each an object: 10; their nested lists: 10 × 10 more.
const costly = '{ items { id more { id } } }';
const codeOf = (answer: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => answer.body.errors?.[0]?.extensions?.code;

describe('variableCoercion', () => {
  it('refuses an operation name that picks no operation, with 400 OPERATION_RESOLUTION_FAILURE', async () => {
    await withFeatures([createVariableCoercion()], async (send) => {
      const answer = await send({ query: 'query A { a }', operationName: 'B' });
      expect(answer.status).toBe(400);
      expect(codeOf(answer)).toBe('OPERATION_RESOLUTION_FAILURE');
      expect((await send({ query: 'query A { a }', operationName: 'A' })).body).toEqual({ data: { a: 1 } });
    });
  });
});

describe('demandControl', () => {
  it('refuses an operation over maxCost before it runs, naming the limit, and shows the estimate when asked', async () => {
    await withFeatures([demandControl(50)], async (send) => {
      const refused = await send({ query: costly });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: 'demandControl.maxCost', measured: 110, allowed: 50 });
      expect(refused.body.data).toBeUndefined();
      expect((await send({ query: '{ items { id } }' }, { 'x-portico-cost': 'true' })).body.extensions).toEqual({ cost: { estimated: 10, max: 50 } });
      expect((await send({ query: '{ items { id } }' })).body.extensions).toBeUndefined();
    });
  });

  it('shows no estimate with exposeCost off', async () => {
    await withFeatures([demandControl(50, false)], async (send) => {
      expect((await send({ query: '{ items { id } }' }, { 'x-portico-cost': 'true' })).body.extensions).toBeUndefined();
    });
  });
});

describe('rateLimits', () => {
  const config = rateLimitConfig({ defaultLimit: 2, costBudget: 30, holdRefusalsMs: 0 });
  const limiter = (name: string, limit: number, byCost = false) => ({
    name,
    byCost,
    limit,
    windowSeconds: 60,
    counter: new RateLimiterMemory({ points: limit, duration: 60 }),
  });
  const rateLimits = () =>
    createRateLimits({
      config,
      limiters: {
        address: limiter('address', 100),
        newDocuments: null,
        bodyBytes: null,
        authFailures: null,
        perClient: [limiter('default', 2), limiter('cost', 30, true)],
      },
      redis: null,
      keyPrefix: 'test:',
      addressOf: createAddressResolver([]),
      cost,
      maxCost: 50,
      turns: createTurnWaits(),
      logger,
    });

  it('counts each client against its rules, answering the fields, and refuses the operation over a rule with 429', async () => {
    await withFeatures([rateLimits(), demandControl(50)], async (send) => {
      const first = await send({ query: '{ a }' });
      expect(first.headers.get('ratelimit')).toBe('"default";r=1;t=60');
      expect(first.headers.get('ratelimit-policy')).toBe('"address";q=100;w=60, "default";q=2;w=60');
      await send({ query: '{ a }' });
      const refused = await send({ query: '{ a }' });
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'default', limit: 2 });
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await send({ query: '{ a }' }, {}, '10.0.0.2')).status).toBe(200);
    });
  });

  it('charges the estimated cost against the cost budget, but not for an operation demand control refuses', async () => {
    await withFeatures([rateLimits(), demandControl(50)], async (send) => {
      expect(codeOf(await send({ query: costly }, {}, '10.0.0.3'))).toBe('COST_LIMIT_EXCEEDED');
      const charged = await send({ query: '{ items { id } }' }, {}, '10.0.0.3');
      expect(charged.headers.get('ratelimit')).toContain('"cost";r=20;t=60');
    });
  });

  it('has no hook with rate limiting off', () => {
    expect(
      createRateLimits({
        config,
        limiters: null,
        redis: null,
        keyPrefix: '',
        addressOf: createAddressResolver([]),
        cost,
        maxCost: 1,
        turns: createTurnWaits(),
        logger,
      }),
    ).toEqual({
      name: 'rateLimits',
    });
  });
});

describe('persistedDocuments', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-persisted-'));
  const manifest = path.join(dir, 'manifest.json');
  const id = createHash('sha256').update('query A { a }').digest('hex');
  writeFileSync(
    manifest,
    JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id, name: 'A', type: 'query', body: 'query A { a }' }] }),
  );
  const options = { persistedQueries: { enabled: true, ttlSeconds: 60, store: 'memory' as const }, limits: defaultLimits, redis: null, keyPrefix: '', logger };

  it('require: runs a manifest document (by id alone too) and refuses any other with 400 PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const feature = createPersistedDocuments({ ...options, trustedDocuments: { mode: 'require', manifest } });
    await withFeatures([feature], async (send) => {
      expect((await send({ query: 'query A { a }' })).body).toEqual({ data: { a: 1 } });
      expect((await send({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } })).body).toEqual({ data: { a: 1 } });
      const refused = await send({ query: '{ a }' });
      expect(refused.status).toBe(400);
      expect(codeOf(refused)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    });
  });

  it('off: no plugin; APQ as configured; an unreadable manifest is a ConfigError', () => {
    const off = createPersistedDocuments({ ...options, trustedDocuments: { mode: 'off', manifest: null } });
    expect(off).toEqual({ name: 'persistedDocuments', persistedQueries: { ttl: 60, cache: expect.objectContaining({ get: expect.any(Function) }) } });
    expect(() => createPersistedDocuments({ ...options, trustedDocuments: { mode: 'require', manifest: path.join(dir, 'missing.json') } })).toThrow(
      /trustedDocuments\.manifest: cannot read/,
    );
  });
});
