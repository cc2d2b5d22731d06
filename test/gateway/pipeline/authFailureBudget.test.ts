import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import pino from 'pino';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../../common/errorCodes.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { Authenticator } from '../../../gateway/auth/createAuthenticator.js';
import type { Viewer } from '../../../gateway/GatewayContext.js';
import { createAuthentication } from '../../../gateway/pipeline/authentication/createAuthentication.js';
import { createPipeline } from '../../../gateway/pipeline/createPipeline.js';
import type { Feature, GraphQLExchange, Outcome } from '../../../gateway/pipeline/Feature.js';
import { createAddressConcurrency } from '../../../gateway/pipeline/rateLimits/createAddressConcurrency.js';
import { createAuthFailureBudget } from '../../../gateway/pipeline/rateLimits/createAuthFailureBudget.js';
import { createAddressBudget, type AddressBudget } from '../../../gateway/traffic/createAddressBudget.js';
import { createAddressGate } from '../../../gateway/traffic/createAddressGate.js';
import { createRefusalHold, type RefusalHold } from '../../../gateway/traffic/createRefusalHold.js';
import { exchangeOf } from './fixtures/exchangeOf.js';

const logger = pino({ level: 'silent' });
const viewer = { sub: 'alice' } as unknown as Viewer;
const challenge = 'Bearer realm="portico", error="invalid_token", error_description="bad signature"';

/** Accepts `Bearer good`, lets a request without a token through anonymously, refuses any other token with a 401 as the real one does. */
const authenticator: Authenticator = {
  async authenticate(headers) {
    if (headers.authorization === undefined) return null;
    if (headers.authorization === 'Bearer good') return viewer;
    throw new HttpError(ErrorCode.UNAUTHENTICATED, 'Authentication failed: bad signature.', { 'www-authenticate': challenge });
  },
};

function budgetOf(limit: number, options: { hold?: RefusalHold | null; counter?: RateLimiterAbstract; windowSeconds?: number } = {}): AddressBudget {
  const windowSeconds = options.windowSeconds ?? 60;
  return createAddressBudget({
    limiter: {
      name: 'authFailures',
      byCost: false,
      limit,
      windowSeconds,
      counter: options.counter ?? new RateLimiterMemory({ points: limit, duration: windowSeconds }),
    },
    onStoreError: 'closed',
    hold: options.hold ?? null,
    logger,
    message: () => 'unused',
  });
}

/** A response that takes headers and can emit `close` (what a held refusal listens for). */
function closableResponse(): ServerResponse {
  return Object.assign(new EventEmitter(), { setHeader: () => undefined }) as unknown as ServerResponse;
}

function request(token: string | null, clientAddress = '10.0.0.1'): GraphQLExchange {
  const exchange = exchangeOf({ clientAddress, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return Object.assign(exchange, { res: closableResponse() });
}

/** The features from the budget to authentication, as createFeatures orders them, in front of a handler that answers 200. */
function pathOf(budget: AddressBudget | null, extra: Feature[] = []) {
  const pipeline = createPipeline([createAuthFailureBudget(budget), ...extra, createAuthentication(authenticator)]);
  return (exchange: GraphQLExchange, last: () => Promise<Outcome> = async () => ({ status: 200 })) =>
    pipeline.handle(exchange, last).then(
      (outcome) => outcome,
      (error: unknown) => error as HttpError,
    );
}

describe('authentication-failure budget', () => {
  it("charges each 401 authentication gives to the request's address, and nothing else", async () => {
    const budget = budgetOf(10);
    const run = pathOf(budget);
    expect(await run(request('good'))).toEqual({ status: 200 });
    expect(await run(request(null))).toEqual({ status: 200 });
    expect(await budget.remaining('10.0.0.1')).toBe(10);
    // A later step's 401 (not authentication's) is not an authentication failure.
    const later = await run(request('good'), async () => Promise.reject(new HttpError(ErrorCode.UNAUTHENTICATED, 'later')));
    expect(later).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await budget.remaining('10.0.0.1')).toBe(10);
    const refused = await run(request('forged'));
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, headers: { 'www-authenticate': challenge } });
    expect((refused as HttpError).headers.connection).toBeUndefined();
    expect(await budget.remaining('10.0.0.1')).toBe(9);
    expect(await budget.remaining('10.0.0.2')).toBe(10);
  });

  it('within the budget answers at once; past it holds the same 401 until the window resets, then closes the connection', async () => {
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const budget = budgetOf(2, { hold, windowSeconds: 1 });
    const run = pathOf(budget);
    const first = (await run(request('forged'))) as HttpError;
    await run(request('forged'));
    expect(hold.heldNow()).toBe(0);
    let answered: HttpError | undefined;
    const over = run(request('forged')).then((error) => (answered = error as HttpError));
    await vi.waitFor(() => expect(hold.heldNow('10.0.0.1')).toBe(1));
    expect(answered).toBeUndefined();
    await over;
    expect(answered).toBeInstanceOf(HttpError);
    expect(answered).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, message: first.message, extensions: first.extensions });
    expect(answered!.headers).toEqual({ ...first.headers, connection: 'close' });
    expect(answered!.toBody()).toEqual(first.toBody());
    expect(hold.heldNow()).toBe(0);
  });

  it('never holds or charges a valid token or an anonymous request from an address over its budget', async () => {
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const budget = budgetOf(1, { hold });
    const run = pathOf(budget);
    await run(request('forged'));
    const held = run(request('forged'));
    await vi.waitFor(() => expect(hold.heldNow('10.0.0.1')).toBe(1));
    expect(await run(request('good'))).toEqual({ status: 200 });
    expect(await run(request(null))).toEqual({ status: 200 });
    expect(hold.heldNow('10.0.0.1')).toBe(1);
    hold.releaseAll();
    expect(await held).toMatchObject({ code: 'UNAUTHENTICATED', headers: { connection: 'close' } });
  });

  it("holds a failure outside the address's concurrency gate: a held 401 takes none of its places", async () => {
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const gate = createAddressGate({ maxInFlight: 1, waitTimeoutMs: 60_000 });
    const run = pathOf(budgetOf(1, { hold }), [createAddressConcurrency(gate)]);
    await run(request('forged'));
    const held = [run(request('forged')), run(request('forged'))];
    await vi.waitFor(() => expect(hold.heldNow('10.0.0.1')).toBe(2));
    expect(gate.state()).toEqual({ inFlight: 0, waiting: 0 });
    expect(await run(request('good'))).toEqual({ status: 200 });
    hold.releaseAll();
    await Promise.all(held);
  });

  it('answers at once, without closing, with no hold or with the store unreachable; the 401 stands', async () => {
    const unheld = pathOf(budgetOf(1));
    await unheld(request('forged'));
    const over = (await unheld(request('forged'))) as HttpError;
    expect(over).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(over.headers.connection).toBeUndefined();
    const broken = { consume: async () => Promise.reject(new Error('store down')) } as unknown as RateLimiterAbstract;
    const hold = createRefusalHold({ holdMs: 60_000, maxPerAddress: 8 });
    const down = (await pathOf(budgetOf(1, { hold, counter: broken }))(request('forged'))) as HttpError;
    expect(down).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expect(down.headers.connection).toBeUndefined();
    expect(hold.heldNow()).toBe(0);
  });

  it('is off (no hook) without a budget, and the 401 passes through untouched', async () => {
    expect(createAuthFailureBudget(null)).toEqual({ name: 'authFailureBudget' });
    expect(await pathOf(null)(request('forged'))).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('keys client-chosen addresses such as __proto__ and constructor as any other', async () => {
    const budget = budgetOf(1);
    const run = pathOf(budget);
    for (const address of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await run(request('forged', address))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await budget.remaining(address)).toBe(0);
      expect(await budget.chargeRefused(address, 1, request(null).req, request(null).res)).toBe(false);
    }
    expect(await budget.remaining('10.0.0.1')).toBe(1);
    expect(({} as Record<string, unknown>).authFailures).toBeUndefined();
  });
});
