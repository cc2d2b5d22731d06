import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createByteBudget } from '../../../common/http/createByteBudget.js';
import { HttpError } from '../../../common/http/HttpError.js';
import { createBodyReading } from '../../../gateway/pipeline/bodyReading/createBodyReading.js';
import { createDocumentLimits } from '../../../gateway/pipeline/documentLimits/createDocumentLimits.js';
import type { Feature, GraphQLExchange, Outcome } from '../../../gateway/pipeline/Feature.js';
import { createNewDocumentBudget } from '../../../gateway/pipeline/rateLimits/createNewDocumentBudget.js';
import { createAddressBudget, type AddressBudget } from '../../../gateway/traffic/createAddressBudget.js';
import { createKnownDocuments } from '../../../gateway/traffic/createKnownDocuments.js';
import { createRefusalHold, type RefusalHold } from '../../../gateway/traffic/createRefusalHold.js';
import { testLimits } from '../fixtures/httpLayerOptions.js';
import { exchangeOf } from './fixtures/exchangeOf.js';

const ok = async (): Promise<Outcome> => ({ status: 200 });
const handle = (feature: Feature) => feature.handle!.bind(feature);
const logger = pino({ level: 'silent' });

function budgetOf(
  name: string,
  limit: number,
  options: { hold?: RefusalHold | null; counter?: RateLimiterAbstract; onStoreError?: 'open' | 'closed' } = {},
): AddressBudget {
  return createAddressBudget({
    limiter: { name, byCost: false, limit, windowSeconds: 60, counter: options.counter ?? new RateLimiterMemory({ points: limit, duration: 60 }) },
    onStoreError: options.onStoreError ?? 'open',
    hold: options.hold ?? null,
    logger,
    message: (seconds) => `over ${name}; retry in ${seconds} s`,
  });
}

/** The error a promise rejects with (or null). */
const errorOf = (run: Promise<unknown>) =>
  run.then(
    () => null,
    (thrown: unknown) => thrown as HttpError,
  );

/** A response that takes headers and can emit `close` (what a held refusal listens for). */
function closableResponse(): ServerResponse {
  return Object.assign(new EventEmitter(), { setHeader: () => undefined }) as unknown as ServerResponse;
}

describe('createAddressBudget', () => {
  it('charges each address on its own and refuses the charge past the limit with 429 RATE_LIMITED, retry-after and the rule', async () => {
    const budget = budgetOf('newDocuments', 3);
    const { req, res } = exchangeOf();
    expect(await budget.charge('10.0.0.1', 2, req, res)).toMatchObject({ remaining: 1 });
    expect(await budget.remaining('10.0.0.1')).toBe(1);
    const error = await errorOf(budget.charge('10.0.0.1', 2, req, res));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, extensions: { rule: 'newDocuments', limit: 3, windowSeconds: 60 } });
    expect(error!.headers['retry-after']).toMatch(/^\d+$/);
    expect(error!.message).toMatch(/^over newDocuments; retry in \d+ s$/);
    expect(await budget.remaining('10.0.0.2')).toBe(3);
    expect(await budget.charge('10.0.0.2', 3, req, res)).toMatchObject({ remaining: 0, resetSeconds: expect.any(Number) });
  });

  it("holds its refusal in the per-address rule's hold until the window resets, then closes the connection", async () => {
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const budget = budgetOf('bodyBytes', 10, { hold, counter: new RateLimiterMemory({ points: 10, duration: 1 }) });
    const { req } = exchangeOf();
    const res = closableResponse();
    let answered: HttpError | undefined;
    const refused = errorOf(budget.charge('10.0.0.1', 11, req, res)).then((error) => (answered = error!));
    await vi.waitFor(() => expect(hold.heldNow('10.0.0.1')).toBe(1));
    expect(answered).toBeUndefined();
    await refused;
    expect(answered).toMatchObject({ code: 'RATE_LIMITED', headers: { connection: 'close' }, extensions: { rule: 'bodyBytes' } });
    expect(hold.heldNow()).toBe(0);
  });

  it('lets a charge through with an unreachable store (open), refuses it with 503 (closed)', async () => {
    const broken = {
      consume: async () => Promise.reject(new Error('store down')),
      get: async () => Promise.reject(new Error('store down')),
    } as unknown as RateLimiterAbstract;
    const { req, res } = exchangeOf();
    await expect(budgetOf('x', 5, { counter: broken }).charge('a', 1, req, res)).resolves.toBeNull();
    expect(await budgetOf('x', 5, { counter: broken }).remaining('a')).toBe(5);
    expect(await errorOf(budgetOf('x', 5, { counter: broken, onStoreError: 'closed' }).charge('a', 1, req, res))).toMatchObject({
      code: 'SERVICE_NOT_READY',
      status: 503,
    });
  });

  it('keys client-chosen addresses such as __proto__ and constructor as any other', async () => {
    const budget = budgetOf('newDocuments', 1);
    const { req, res } = exchangeOf();
    for (const address of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await budget.charge(address, 1, req, res);
      expect(await errorOf(budget.charge(address, 1, req, res))).toMatchObject({ code: 'RATE_LIMITED' });
    }
    expect(({} as Record<string, unknown>).newDocuments).toBeUndefined();
  });
});

describe('newDocumentBudget', () => {
  const setUp = (limit: number) => {
    const known = createKnownDocuments();
    const budget = createNewDocumentBudget({ budget: budgetOf('newDocuments', limit), known, maxBatchSize: testLimits.maxBatchSize });
    const limits = createDocumentLimits(testLimits, known);
    // As in createFeatures: the budget, then the document limits, which add what passes to `known`.
    const send = (exchange: GraphQLExchange) => handle(budget)(exchange, () => handle(limits)(exchange, ok));
    return { known, budget, send };
  };
  const post = (body: unknown, clientAddress = '10.0.0.1') => Object.assign(exchangeOf({ clientAddress }), { body });

  it('counts each document the gateway has not accepted, once; a repeated one never counts', async () => {
    const { send } = setUp(3);
    for (let i = 0; i < 10; i += 1) expect(await send(post({ query: '{ a }' }))).toEqual({ status: 200 });
    await send(post({ query: '{ b: a }' }));
    await send(post({ query: '{ c: a }' }));
    const error = await errorOf(send(post({ query: '{ d: a }' })));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, extensions: { rule: 'newDocuments', limit: 3 } });
    // Over its budget, the address is still served the documents the gateway knows,
    expect(await send(post({ query: '{ b: a }' }))).toEqual({ status: 200 });
    // and another address has a budget of its own.
    expect(await send(post({ query: '{ d: a }' }, '10.0.0.2'))).toEqual({ status: 200 });
  });

  it('counts every distinct new document of a batch, and nothing for a registered APQ hash or trusted-document id', async () => {
    const { send } = setUp(2);
    expect(await send(post([{ query: '{ a }' }, { query: '{ a }' }]))).toEqual({ status: 200 });
    expect(await send(post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }))).toEqual({ status: 200 });
    expect(await send(post({ documentId: 'sha256:abc' }))).toEqual({ status: 200 });
    expect(await errorOf(send(post([{ query: '{ x: a }' }, { query: '{ y: a }' }])))).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('counts a GET query; leaves a batch past maxBatchSize to the document limits (400, nothing charged)', async () => {
    const { send } = setUp(1);
    const batch = post([{ query: '{ p: a }' }, { query: '{ q: a }' }, { query: '{ r: a }' }]);
    expect(await errorOf(send(batch))).toMatchObject({ code: 'MAX_BATCH_SIZE_EXCEEDED' });
    const get = exchangeOf({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ g: a }')}` });
    expect(await send(get)).toEqual({ status: 200 });
    const again = exchangeOf({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ h: a }')}` });
    expect(await errorOf(send(again))).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('counts a document refused by the limits, or by parsing or validation, every time it is sent', async () => {
    const { send, known, budget } = setUp(3);
    const tooDeep = { query: '{ a { b { c { d { e { f } } } } } }' };
    for (let i = 0; i < 3; i += 1) expect(await errorOf(send(post(tooDeep)))).toMatchObject({ code: 'MAX_DEPTH_EXCEEDED' });
    expect(await errorOf(send(post(tooDeep)))).toMatchObject({ code: 'RATE_LIMITED' });
    // Within the limits and accepted, then refused by validation (Apollo Server's hooks): forgotten.
    const invalid = '{ nope }';
    await send(post({ query: invalid }, '10.0.0.3'));
    expect(known.has(invalid)).toBe(true);
    const listeners = await budget.plugin!.requestDidStart!({ source: invalid } as never);
    const validated = await listeners!.validationDidStart!({ source: invalid } as never);
    await (validated as (errors?: readonly Error[]) => Promise<void>)([new Error('Cannot query field "nope"')]);
    expect(known.has(invalid)).toBe(false);
    const unparsable = '{ a } }';
    known.add(unparsable);
    const parsed = await listeners!.parsingDidStart!({ source: unparsable } as never);
    await (parsed as (error?: Error) => Promise<void>)(new Error('Syntax Error'));
    expect(known.has(unparsable)).toBe(false);
    // A valid one stays known.
    known.add('{ a }');
    await ((await listeners!.validationDidStart!({ source: '{ a }' } as never)) as (errors?: readonly Error[]) => Promise<void>)([]);
    expect(known.has('{ a }')).toBe(true);
  });

  it('has no hook without a budget', () => {
    expect(createNewDocumentBudget({ budget: null, known: createKnownDocuments(), maxBatchSize: 10 })).toEqual({ name: 'newDocumentBudget' });
  });
});

describe('bodyReading with a body-bytes budget', () => {
  const reading = (budget: AddressBudget) =>
    handle(createBodyReading({ bodyLimitBytes: 100, bodyTimeoutMs: 60_000, bodyBudget: createByteBudget(10_000), limits: testLimits, bytesBudget: budget }));

  /** A POST whose body is `sent` so far, of a declared `contentLength` (none: chunked), never finished. */
  function unfinished(sent: string, contentLength?: number, clientAddress = '10.0.0.1') {
    const exchange = exchangeOf({ clientAddress, ...(contentLength === undefined ? {} : { headers: { 'content-length': String(contentLength) } }) });
    const stream = new PassThrough();
    const req = Object.assign(stream, {
      method: 'POST',
      url: '/graphql',
      headers: exchange.req.headers,
      socket: exchange.req.socket,
    }) as unknown as IncomingMessage;
    stream.write(sent);
    return { ...exchange, req, stream };
  }

  it("charges a body's content-length before reading a byte of it, and refuses the one past the budget unread", async () => {
    const budget = budgetOf('bodyBytes', 100);
    const body = JSON.stringify({ query: '{ a }' });
    const whole = exchangeOf({ body, headers: { 'content-length': String(body.length) } });
    expect(await reading(budget)(whole, ok)).toEqual({ status: 200 });
    expect(await budget.remaining('10.0.0.1')).toBe(100 - body.length);
    // Declares 90 bytes and sends 3: refused at once, without waiting for the rest (60 s body timeout).
    const declared = unfinished('{"q', 90);
    const error = await errorOf(reading(budget)(declared, ok));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, extensions: { rule: 'bodyBytes' } });
    // Nothing was read from it.
    expect(declared.stream.readableLength).toBe(3);
    // Another address is served.
    expect(await reading(budget)(exchangeOf({ body, clientAddress: '10.0.0.2', headers: { 'content-length': String(body.length) } }), ok)).toEqual({
      status: 200,
    });
  });

  it('does not charge a body refused at once for its declared size (413, unread)', async () => {
    const budget = budgetOf('bodyBytes', 1000);
    expect(await errorOf(reading(budget)(unfinished('{', 500), ok))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await budget.remaining('10.0.0.1')).toBe(1000);
  });

  it('charges a chunked body as read, and cuts it off at the chunk that goes past what the address has left', async () => {
    const budget = budgetOf('bodyBytes', 60);
    const body = JSON.stringify({ query: '{ a }' });
    expect(await reading(budget)(exchangeOf({ body }), ok)).toEqual({ status: 200 });
    expect(await budget.remaining('10.0.0.1')).toBe(60 - body.length);
    const chunked = unfinished('x'.repeat(10));
    let error: HttpError | null | undefined;
    void errorOf(reading(budget)(chunked, ok)).then((thrown) => (error = thrown));
    await vi.waitFor(() => expect(chunked.stream.readableLength).toBe(0));
    expect(error).toBeUndefined();
    chunked.stream.write('y'.repeat(40));
    await vi.waitFor(() => expect(error).toMatchObject({ code: 'RATE_LIMITED', extensions: { rule: 'bodyBytes' } }));
    // Over: the next chunked body is refused before it is read.
    const next = unfinished('{}');
    expect(await errorOf(reading(budget)(next, ok))).toMatchObject({ code: 'RATE_LIMITED' });
    expect(next.stream.readableLength).toBe(2);
  });

  it('leaves a GET alone', async () => {
    const budget = budgetOf('bodyBytes', 1);
    await budget.charge('10.0.0.1', 1, exchangeOf().req, exchangeOf().res);
    expect(await reading(budget)(exchangeOf({ method: 'GET', url: '/graphql?query={a}' }), ok)).toEqual({ status: 200 });
  });
});
