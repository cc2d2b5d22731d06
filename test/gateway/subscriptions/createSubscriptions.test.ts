import type { FetchNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../../gateway/GatewayContext.js';
import { createSubscriptions, type SubscriptionStart } from '../../../gateway/subscriptions/createSubscriptions.js';
import type { OpenUpstream, UpstreamSink } from '../../../gateway/subscriptions/OpenUpstream.js';

/** A fake transport: each open's sink, in order. */
function fakeOpener() {
  const sinks: UpstreamSink[] = [];
  const open: OpenUpstream = (_target, sink) => {
    sinks.push(sink);
    return () => {};
  };
  return { sinks, open };
}

const contextFor = (clientAddress: string, deadlineAt = Date.now() + 60_000): GatewayContext => ({
  requestId: 'r',
  signal: new AbortController().signal,
  deadlineAt,
  clientAddress,
  viewer: null,
  acceptsStream: true,
});

/** A subscription start for `upc` from `context`; `seen` records each event's deadline, as left when it runs. */
function startOf(context: GatewayContext, upc: string, seen: number[] = []): SubscriptionStart {
  const primary = {
    kind: 'Fetch',
    serviceName: 'reviews',
    operation: 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id } }',
    operationName: undefined,
    variableUsages: ['upc'],
  } as unknown as FetchNode;
  return {
    primary,
    variables: { upc },
    caller: { context, clientHeaders: new Map<string, string>() as unknown as SubscriptionStart['caller']['clientHeaders'] },
    document: parse('subscription { reviewAdded { id } }'),
    operationKey: 'hash:',
    supergraph,
    runEvent: (data, _errors, caller) => {
      seen.push(caller.context.deadlineAt - Date.now());
      return Promise.resolve({ data });
    },
  };
}

const supergraph = {};

const create = (open: OpenUpstream, limits: Partial<Parameters<typeof createSubscriptions>[0]> = {}) =>
  createSubscriptions({
    urlOf: () => 'http://reviews.invalid/graphql',
    callerHeadersOf: () => ({}),
    openerOf: () => open,
    signingSecret: 'secret-0123456789abcdef',
    requestTimeoutMs: 60_000,
    ...limits,
  });

describe('createSubscriptions', () => {
  it("gives each event's fetches the whole request timeout, not what was left of the setup request's", async () => {
    const { sinks, open } = fakeOpener();
    const subscriptions = create(open);
    const context = contextFor('10.0.0.1', Date.now() + 5);
    const seen: number[] = [];
    expect(subscriptions.start(startOf(context, 'a', seen))).toEqual({});
    sinks[0]!.next({ data: { reviewAdded: { id: '1' } } });
    const events = context.stream!.kind === 'subscription' ? context.stream!.events : undefined;
    expect(await events!.next()).toEqual({ value: { data: { reviewAdded: { id: '1' } } }, done: false });
    expect(seen[0]).toBeGreaterThan(30_000);
  });

  it('refuses past the per-address limit with 429 RATE_LIMITED and past the global limits with 503 OVERLOADED, before opening anything', async () => {
    const { sinks, open } = fakeOpener();
    const subscriptions = create(open, { maxSubscriptions: 3, maxSubscriptionsPerAddress: 2, maxUpstreams: 2 });
    const a = contextFor('10.0.0.1');
    expect(subscriptions.start(startOf(a, 'x'))).toEqual({});
    expect(subscriptions.start(startOf(contextFor('10.0.0.1'), 'x'))).toEqual({});
    const perAddress = subscriptions.start(startOf(contextFor('10.0.0.1'), 'y')).errors?.[0];
    expect(perAddress?.extensions).toMatchObject({ code: 'RATE_LIMITED', http: { status: 429 } });
    // Another address: a new upstream within maxUpstreams.
    expect(subscriptions.start(startOf(contextFor('10.0.0.2'), 'y'))).toEqual({});
    expect(sinks).toHaveLength(2);
    const global = subscriptions.start(startOf(contextFor('10.0.0.3'), 'x')).errors?.[0];
    expect(global?.extensions).toMatchObject({ code: 'OVERLOADED', http: { status: 503 } });
    // Leaving frees both counts.
    const stream = a.stream!;
    if (stream.kind !== 'subscription') throw new Error('not a subscription');
    await stream.events.return!();
    expect(subscriptions.active()).toBe(2);
    const upstreams = subscriptions.start(startOf(contextFor('10.0.0.3'), 'z')).errors?.[0];
    expect(upstreams?.extensions).toMatchObject({ code: 'OVERLOADED', http: { status: 503 } });
    expect(sinks).toHaveLength(2);
    expect(subscriptions.start(startOf(contextFor('10.0.0.1'), 'x'))).toEqual({});
  });
});
