import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createByteBudget } from '../../../common/http/createByteBudget.js';
import { HttpError } from '../../../common/http/HttpError.js';
import { createAdmissionControl } from '../../../gateway/pipeline/admission/createAdmissionControl.js';
import { createAuthentication } from '../../../gateway/pipeline/authentication/createAuthentication.js';
import { createBodyReading } from '../../../gateway/pipeline/bodyReading/createBodyReading.js';
import { createDocumentLimits } from '../../../gateway/pipeline/documentLimits/createDocumentLimits.js';
import type { Feature, Outcome } from '../../../gateway/pipeline/Feature.js';
import { createAddressConcurrency } from '../../../gateway/pipeline/rateLimits/createAddressConcurrency.js';
import { createAddressRateLimit } from '../../../gateway/pipeline/rateLimits/createAddressRateLimit.js';
import { createAddressGate } from '../../../gateway/traffic/createAddressGate.js';
import { createAdmission } from '../../../gateway/traffic/createAdmission.js';
import { createAddressResolver } from '../../../gateway/traffic/createAddressResolver.js';
import { createRefusalHold } from '../../../gateway/traffic/createRefusalHold.js';
import { testLimits } from '../fixtures/httpLayerOptions.js';
import { exchangeOf } from './fixtures/exchangeOf.js';

const ok = async (): Promise<Outcome> => ({ status: 200 });
const handle = (feature: Feature) => feature.handle!.bind(feature);

/** The refusal a step throws, as `code` and status. */
async function refusalOf(run: Promise<unknown>): Promise<{ code: string; status: number }> {
  const error = await run.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HttpError);
  return { code: (error as HttpError).code, status: (error as HttpError).status };
}

/** A response that takes headers and can emit `close` (what a held refusal listens for). */
function closableResponse(): ServerResponse {
  return Object.assign(new EventEmitter(), { setHeader: () => undefined }) as unknown as ServerResponse;
}

describe('addressRateLimit', () => {
  const limiter = (counter: RateLimiterAbstract) => ({ name: 'address', byCost: false, limit: 2, windowSeconds: 60, counter });
  const options = { addressOf: createAddressResolver([]), onStoreError: 'open' as const, hold: null, logger: pino({ level: 'silent' }) };

  it('counts each request against its address as it arrives, and refuses the one over the limit with 429 and Retry-After', async () => {
    const feature = createAddressRateLimit({ ...options, limiter: limiter(new RateLimiterMemory({ points: 2, duration: 60 })) });
    const first = exchangeOf({ clientAddress: '10.0.0.1' });
    await feature.arrive!(first.req, first.res);
    expect(first.headersSet.get('ratelimit')).toBe('"address";r=1;t=60');
    await feature.arrive!(first.req, first.res);
    const error = await feature.arrive!(first.req, first.res).catch((thrown: unknown) => thrown as HttpError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, extensions: { rule: 'address', limit: 2 } });
    expect((error as HttpError).headers['retry-after']).toMatch(/^\d+$/);
    const other = exchangeOf({ clientAddress: '10.0.0.2' });
    await expect(feature.arrive!(other.req, other.res)).resolves.toBeUndefined();
  });

  it('holds a refusal until the address may send again, then refuses it with 429 and closes the connection', async () => {
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const feature = createAddressRateLimit({ ...options, hold, limiter: limiter(new RateLimiterMemory({ points: 2, duration: 1 })) });
    const { req } = exchangeOf({ clientAddress: '10.0.0.1' });
    const res = closableResponse();
    await feature.arrive!(req, res);
    await feature.arrive!(req, res);
    let answered: HttpError | undefined;
    const refused = feature.arrive!(req, res).catch((thrown: unknown) => (answered = thrown as HttpError));
    await vi.waitFor(() => expect(hold.heldNow('10.0.0.1')).toBe(1));
    expect(answered).toBeUndefined();
    // Its window (1 s) ends, and the refusal with it; nobody waited for holdMs (60 s).
    await refused;
    expect(answered).toMatchObject({ code: 'RATE_LIMITED', status: 429, extensions: { rule: 'address' } });
    expect(answered!.headers.connection).toBe('close');
    expect(hold.heldNow()).toBe(0);
    await expect(feature.arrive!(req, res)).resolves.toBeUndefined();
  });

  it('answers every held refusal as the gateway stops', async () => {
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const feature = createAddressRateLimit({ ...options, hold, limiter: limiter(new RateLimiterMemory({ points: 1, duration: 60 })) });
    const { req } = exchangeOf({ clientAddress: '10.0.0.1' });
    const res = closableResponse();
    await feature.arrive!(req, res);
    const refused = feature.arrive!(req, res).catch((thrown: unknown) => thrown as HttpError);
    await vi.waitFor(() => expect(hold.heldNow()).toBe(1));
    await feature.close!();
    expect(await refused).toMatchObject({ code: 'RATE_LIMITED', headers: { connection: 'close' } });
  });

  it('lets requests through with an unreachable store (open), refuses them with 503 (closed)', async () => {
    const broken = { consume: async () => Promise.reject(new Error('store down')) } as unknown as RateLimiterAbstract;
    const { req, res } = exchangeOf();
    await expect(createAddressRateLimit({ ...options, limiter: limiter(broken) }).arrive!(req, res)).resolves.toBeUndefined();
    expect(await refusalOf(createAddressRateLimit({ ...options, onStoreError: 'closed', limiter: limiter(broken) }).arrive!(req, res))).toEqual({
      code: 'SERVICE_NOT_READY',
      status: 503,
    });
  });

  it('has no hook with rate limiting off', () => {
    expect(createAddressRateLimit({ ...options, limiter: null })).toEqual({ name: 'addressRateLimit' });
  });
});

describe('authentication', () => {
  it("sets the viewer before the next step, and refuses before it (a refused caller's body is never read)", async () => {
    const viewer = { subject: 'u1', scopes: [], claims: {} };
    const exchange = exchangeOf({ headers: { authorization: 'Bearer good' } });
    let seen: unknown;
    await handle(createAuthentication({ authenticate: async (headers) => (headers.authorization === 'Bearer good' ? viewer : null) }))(exchange, async () => {
      seen = exchange.viewer;
      return { status: 200 };
    });
    expect(seen).toBe(viewer);
    let reached = false;
    const refusing = createAuthentication({ authenticate: async () => Promise.reject(new HttpError('UNAUTHENTICATED', 'no')) });
    expect(await refusalOf(handle(refusing)(exchangeOf(), async () => ((reached = true), { status: 200 })))).toEqual({ code: 'UNAUTHENTICATED', status: 401 });
    expect(reached).toBe(false);
  });
});

describe('bodyReading', () => {
  const budget = createByteBudget(1000, 500);
  const reading = createBodyReading({ bodyLimitBytes: 100, bodyTimeoutMs: 1000, bodyBudget: budget, limits: testLimits });

  it("parses a POST's body for the next steps, holding its bytes in the budget until the request is done", async () => {
    const body = JSON.stringify({ query: '{ a }' });
    const exchange = exchangeOf({ body });
    const account = budget.account(exchange.clientAddress);
    // The client's share is 500 bytes: while the request runs, its body's bytes are taken from it.
    let roomWhileRunning = false;
    await handle(reading)(exchange, async () => {
      roomWhileRunning = account.take(500 - body.length + 1);
      return { status: 200 };
    });
    expect(exchange.body).toEqual({ query: '{ a }' });
    expect(roomWhileRunning).toBe(false);
    // And given back once it is done.
    expect(account.take(500)).toBe(true);
    account.give(500);
  });

  it('refuses a body over the limit (413) and JSON past the limits (400), GET parameters too', async () => {
    expect(await refusalOf(handle(reading)(exchangeOf({ body: JSON.stringify({ query: 'x'.repeat(200) }) }), ok))).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
    });
    expect(await refusalOf(handle(reading)(exchangeOf({ body: '['.repeat(20) + ']'.repeat(20) }), ok))).toEqual({
      code: 'MAX_JSON_DEPTH_EXCEEDED',
      status: 400,
    });
    const get = exchangeOf({ method: 'GET', url: `/graphql?query={a}&variables=${encodeURIComponent(JSON.stringify({ v: 'x'.repeat(300) }))}` });
    expect(await refusalOf(handle(reading)(get, ok))).toEqual({ code: 'MAX_VARIABLES_BYTES_EXCEEDED', status: 400 });
  });

  it('answers 499 for the log, not an error, when the client went away while its body was read', async () => {
    const gone = new AbortController();
    gone.abort();
    const exchange = exchangeOf({ body: '{}', signal: gone.signal });
    exchange.req.destroy();
    expect(await handle(reading)(exchange, ok)).toEqual({ status: 499 });
  });
});

describe('documentLimits', () => {
  const limits = handle(createDocumentLimits(testLimits));

  it('refuses a batch past maxBatchSize and any operation past a document limit, from the body or a GET query', async () => {
    const exchange = exchangeOf();
    exchange.body = [{ query: '{ a }' }, { query: '{ a }' }, { query: '{ a }' }];
    expect(await refusalOf(limits(exchange, ok))).toEqual({ code: 'MAX_BATCH_SIZE_EXCEEDED', status: 400 });
    exchange.body = { query: '{ a { b { c { d { e { f } } } } } }' };
    expect(await refusalOf(limits(exchange, ok))).toEqual({ code: 'MAX_DEPTH_EXCEEDED', status: 400 });
    const get = exchangeOf({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ a b c d e f }')}` });
    expect(await refusalOf(limits(get, ok))).toEqual({ code: 'MAX_ROOT_FIELDS_EXCEEDED', status: 400 });
    exchange.body = [{ query: '{ a }' }, { extensions: { persistedQuery: { sha256Hash: 'x' } } }];
    expect(await limits(exchange, ok)).toEqual({ status: 200 });
  });
});

describe('admission', () => {
  it('holds a slot until the answer is written, and lets it go if a later step fails', async () => {
    const admission = createAdmission({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 1000 });
    const step = handle(createAdmissionControl(admission, { waitsOutside: false }));
    await step(exchangeOf(), async () => {
      expect(admission.state()).toMatchObject({ inFlight: 1 });
      expect(await refusalOf(step(exchangeOf(), ok))).toEqual({ code: 'OVERLOADED', status: 503 });
      return { status: 200 };
    });
    await expect(step(exchangeOf(), async () => Promise.reject(new Error('later')))).rejects.toThrow('later');
    expect(admission.state()).toMatchObject({ inFlight: 0, queued: 0 });
    admission.close();
  });

  it('answers 499 when the client went away while it waited', async () => {
    const admission = createAdmission({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 1000 });
    const step = handle(createAdmissionControl(admission, { waitsOutside: false }));
    const gone = new AbortController();
    await step(exchangeOf(), async () => {
      const waiting = step(exchangeOf({ signal: gone.signal }), ok);
      gone.abort();
      expect(await waiting).toEqual({ status: 499 });
      return { status: 200 };
    });
    admission.close();
  });

  it('with waitsOutside, gives the slot back while an operation waits and takes one again after; a batch keeps its slot', async () => {
    const admission = createAdmission({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 1000 });
    const step = handle(createAdmissionControl(admission, { waitsOutside: true }));
    const single = Object.assign(exchangeOf(), { body: { query: '{ a }' } });
    await step(single, async () => {
      await single.waitOutsideAdmission!(async () => {
        expect(admission.state()).toMatchObject({ inFlight: 0 });
        // Another request runs meanwhile, in the slot this one gave back.
        expect(await step(exchangeOf(), ok)).toEqual({ status: 200 });
      });
      expect(admission.state()).toMatchObject({ inFlight: 1 });
      return { status: 200 };
    });
    expect(admission.state()).toMatchObject({ inFlight: 0, queued: 0 });

    // Called once the request is done (a kept context), it takes no slot it would never give back.
    await single.waitOutsideAdmission!(async () => {});
    expect(admission.state()).toMatchObject({ inFlight: 0, queued: 0 });

    const batch = Object.assign(exchangeOf(), { body: [{ query: '{ a }' }, { query: '{ b }' }] });
    await step(batch, ok);
    expect(batch.waitOutsideAdmission).toBeUndefined();
    admission.close();
  });

  it('with waitsOutside, rejects the wait as admission refuses when no slot is free after it, holding none', async () => {
    const admission = createAdmission({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 1000 });
    const step = handle(createAdmissionControl(admission, { waitsOutside: true }));
    const single = Object.assign(exchangeOf(), { body: { query: '{ a }' } });
    let other: Promise<Outcome> | undefined;
    let finishOther: () => void = () => {};
    const outcome = step(single, async () => {
      await single.waitOutsideAdmission!(async () => {
        // Another request takes the slot and keeps it.
        other = step(exchangeOf(), () => new Promise<Outcome>((resolve) => (finishOther = () => resolve({ status: 200 }))));
      });
      return { status: 200 };
    });
    expect(await refusalOf(outcome)).toEqual({ code: 'OVERLOADED', status: 503 });
    expect(admission.state()).toMatchObject({ inFlight: 1 });
    finishOther();
    expect(await other).toEqual({ status: 200 });
    expect(admission.state()).toMatchObject({ inFlight: 0, queued: 0 });
    admission.close();
  });
});

describe('addressConcurrency', () => {
  it("holds its address's place until the later steps are done, and lets it go if one fails", async () => {
    const gate = createAddressGate({ maxInFlight: 1, waitTimeoutMs: 1000 });
    const step = handle(createAddressConcurrency(gate));
    let second: Promise<Outcome> | undefined;
    const order: string[] = [];
    await step(exchangeOf({ clientAddress: '10.0.0.9' }), async () => {
      second = step(exchangeOf({ clientAddress: '10.0.0.9' }), async () => {
        order.push('second');
        return { status: 200 };
      });
      // Another address goes on while 10.0.0.9's second request waits.
      await step(exchangeOf({ clientAddress: '10.0.0.8' }), async () => {
        order.push('other');
        return { status: 200 };
      });
      expect(gate.state()).toEqual({ inFlight: 1, waiting: 1 });
      order.push('first done');
      return { status: 200 };
    });
    expect(await second).toEqual({ status: 200 });
    expect(order).toEqual(['other', 'first done', 'second']);
    await expect(step(exchangeOf({ clientAddress: '10.0.0.9' }), async () => Promise.reject(new Error('later')))).rejects.toThrow('later');
    expect(gate.state()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('refuses its waiting requests with 503 GATEWAY_STOPPING as the gateway drains, the one in progress going on', async () => {
    const feature = createAddressConcurrency(createAddressGate({ maxInFlight: 1, waitTimeoutMs: 60_000 }));
    const step = handle(feature);
    await step(exchangeOf(), async () => {
      const waiting = step(exchangeOf(), ok);
      feature.drain!();
      await expect(waiting).rejects.toMatchObject({ code: 'GATEWAY_STOPPING', status: 503, headers: { connection: 'close' } });
      return { status: 200 };
    });
  });

  it('answers 499 when the client went away while it waited, and has no hook without a gate', async () => {
    const step = handle(createAddressConcurrency(createAddressGate({ maxInFlight: 1, waitTimeoutMs: 1000 })));
    const gone = new AbortController();
    await step(exchangeOf(), async () => {
      const waiting = step(exchangeOf({ signal: gone.signal }), ok);
      gone.abort();
      expect(await waiting).toEqual({ status: 499 });
      return { status: 200 };
    });
    expect(createAddressConcurrency(null)).toEqual({ name: 'addressConcurrency' });
  });
});
