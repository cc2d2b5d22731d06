import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { GraphQLError, parse } from 'graphql';
import pino from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../common/errorCodes.js';
import { createPipeline } from '../../../gateway/pipeline/createPipeline.js';
import type { GraphQLExchange, Outcome, ProducedError } from '../../../gateway/pipeline/Feature.js';
import { createAddressConcurrency } from '../../../gateway/pipeline/rateLimits/createAddressConcurrency.js';
import { createClientRefusalHold } from '../../../gateway/pipeline/rateLimits/createClientRefusalHold.js';
import { createTurnWaits } from '../../../gateway/traffic/createTurnWaits.js';
import { createRateLimits } from '../../../gateway/pipeline/rateLimits/createRateLimits.js';
import { createAddressGate } from '../../../gateway/traffic/createAddressGate.js';
import { createAddressResolver } from '../../../gateway/traffic/createAddressResolver.js';
import { createOperationCost } from '../../../gateway/traffic/createOperationCost.js';
import { createRefusalHold, type RefusalHold } from '../../../gateway/traffic/createRefusalHold.js';
import { readCostDirectives } from '../../../gateway/traffic/readCostDirectives.js';
import { exchangeOf } from './fixtures/exchangeOf.js';
import { rateLimitConfig } from './fixtures/rateLimitConfig.js';
import { type OperationAnswer, typeDefs, withFeatures } from './fixtures/runOperation.js';

const logger = pino({ level: 'silent' });

const config = rateLimitConfig({ defaultLimit: 1, costBudget: 1000, holdRefusalsMs: 5000 });
const limiter = (name: string, limit: number) => ({
  name,
  byCost: false,
  limit,
  windowSeconds: 60,
  counter: new RateLimiterMemory({ points: limit, duration: 60 }),
});

/** A per-client rule's real 429 (over `default`, 1 per 60 s): Apollo Server's answer and the errors recorded for it, as callApollo has them. */
async function refusedByRateLimits(): Promise<OperationAnswer & { answer: HTTPGraphQLResponse }> {
  const rateLimits = createRateLimits({
    config,
    limiters: { address: limiter('address', 100), newDocuments: null, bodyBytes: null, authFailures: null, perClient: [limiter('default', 1)] },
    redis: null,
    keyPrefix: 'test:',
    addressOf: createAddressResolver([]),
    cost: createOperationCost({ defaultListSize: 10 }, () => readCostDirectives(parse(typeDefs))),
    maxCost: 1000,
    turns: createTurnWaits(),
    logger,
  });
  let refused: OperationAnswer | undefined;
  await withFeatures([rateLimits], async (send) => {
    await send({ query: '{ a }' });
    refused = await send({ query: '{ a }' });
  });
  const { status, headers, body } = refused!;
  return { ...refused!, answer: { status, headers, body: { kind: 'complete', string: JSON.stringify(body) } } };
}

/** A response that records what is written to it and can emit `close` (what a held refusal listens for). */
function recordingResponse() {
  const headers = new Map<string, unknown>();
  const written: { status?: number; body?: string } = {};
  const res = Object.assign(new EventEmitter(), {
    destroyed: false,
    statusCode: 200,
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    end(chunk: Buffer) {
      written.status = res.statusCode;
      written.body = chunk.toString();
    },
  });
  return { res: res as unknown as ServerResponse, headers, written };
}

function request(clientAddress = '10.0.0.1') {
  const recorded = recordingResponse();
  const exchange: GraphQLExchange = Object.assign(exchangeOf({ clientAddress }), { res: recorded.res });
  return { exchange, ...recorded };
}

/** What callApollo does with its answer: leaves it unwritten where the exchange asks, else writes it (here: records that it did). */
function answering(status: number, errors: readonly ProducedError[], answer: HTTPGraphQLResponse, exchange: GraphQLExchange) {
  return async (): Promise<Outcome> => {
    if (exchange.leaveUnwritten?.(errors)) return { status, errors, unwritten: answer };
    exchange.res.statusCode = status;
    exchange.res.end(Buffer.from('written at once'));
    return { status, errors };
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('client refusal hold', () => {
  it("holds a per-client rule's 429 without its place at the address gate, then writes the same answer with connection: close", async () => {
    const refused = await refusedByRateLimits();
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'default' });
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const gate = createAddressGate({ maxInFlight: 1, waitTimeoutMs: 1000 });
    const pipeline = createPipeline([createClientRefusalHold(hold), createAddressConcurrency(gate)]);
    const { exchange, headers, written } = request();
    const running = pipeline.handle(exchange, answering(429, refused.errors, refused.answer, exchange));
    await settled();
    // Held: nothing written yet, and the address's one place at the gate is free for its next request.
    expect(hold.heldNow('10.0.0.1')).toBe(1);
    expect(written.body).toBeUndefined();
    expect(gate.state().inFlight).toBe(0);
    hold.releaseAll();
    const outcome = await running;
    expect(outcome).toEqual({ status: 429, errors: refused.errors });
    expect(written).toEqual({ status: 429, body: refused.answer.body.kind === 'complete' ? refused.answer.body.string : '' });
    expect(headers.get('connection')).toBe('close');
    // Every header of the answer, as it was, and connection: close.
    expect(Object.fromEntries(headers)).toEqual({ ...Object.fromEntries(refused.headers), connection: 'close' });
    expect(headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('answers at once, as it is, with the hold off', async () => {
    const refused = await refusedByRateLimits();
    const pipeline = createPipeline([createClientRefusalHold(null)]);
    const { exchange, headers, written } = request();
    expect(await pipeline.handle(exchange, answering(429, refused.errors, refused.answer, exchange))).toEqual({ status: 429, errors: refused.errors });
    expect(written).toEqual({ status: 429, body: 'written at once' });
    expect(headers.has('connection')).toBe(false);
  });

  it('answers at once (closing the connection) when every hold slot is taken', async () => {
    const refused = await refusedByRateLimits();
    const full = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8, maxTotal: 0 });
    const pipeline = createPipeline([createClientRefusalHold(full)]);
    const { exchange, headers, written } = request();
    await pipeline.handle(exchange, answering(429, refused.errors, refused.answer, exchange));
    expect(full.heldNow()).toBe(0);
    expect(written.status).toBe(429);
    expect(written.body).toContain('RATE_LIMITED');
    expect(headers.get('connection')).toBe('close');
  });

  it('leaves every other answer to be written at once: another 429 RATE_LIMITED, other errors, successes', async () => {
    const hold: RefusalHold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const pipeline = createPipeline([createClientRefusalHold(hold)]);
    const lookalike = new GraphQLError('Rate limit "default" exceeded', { extensions: { code: ErrorCode.RATE_LIMITED, rule: 'default' } });
    const answer: HTTPGraphQLResponse = { status: 429, headers: new Map() as HTTPGraphQLResponse['headers'], body: { kind: 'complete', string: '{}' } };
    for (const [status, errors] of [
      [429, [lookalike]],
      [400, [new GraphQLError('bad', { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } })]],
      [200, []],
    ] as const) {
      const { exchange, headers, written } = request();
      expect(await pipeline.handle(exchange, answering(status, errors, answer, exchange))).toEqual({ status, errors });
      expect(written).toEqual({ status, body: 'written at once' });
      expect(headers.has('connection')).toBe(false);
    }
    expect(hold.heldNow()).toBe(0);
  });

  it('writes at once a batch whose refusal is not the whole answer', async () => {
    const refused = await refusedByRateLimits();
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const pipeline = createPipeline([createClientRefusalHold(hold)]);
    const { exchange, headers, written } = request();
    await pipeline.handle(exchange, answering(200, refused.errors, { ...refused.answer, status: 200 }, exchange));
    expect(hold.heldNow()).toBe(0);
    expect(written.status).toBe(200);
    expect(headers.has('connection')).toBe(false);
  });
});
