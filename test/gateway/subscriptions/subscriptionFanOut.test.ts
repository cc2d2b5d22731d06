import type { FetchNode } from '@apollo/query-planner';
import { GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ResultObject } from '../../../gateway/execution/collectEntities.js';
import type { GatewayContext } from '../../../gateway/GatewayContext.js';
import type { SubscriptionEvent } from '../../../gateway/streaming/ResultStream.js';
import { createSubscriptions, type SubscriptionStart, type Subscriptions } from '../../../gateway/subscriptions/createSubscriptions.js';
import type { OpenUpstream, UpstreamSink } from '../../../gateway/subscriptions/OpenUpstream.js';
import type { SubgraphCaller } from '../../../gateway/subgraphRequests/createSubgraphClient.js';

/** A fake transport: each open's sink, in order. */
function fakeOpener() {
  const sinks: UpstreamSink[] = [];
  const open: OpenUpstream = (_target, sink) => {
    sinks.push(sink);
    return () => {};
  };
  return { sinks, open };
}

/** The entity fetches a run makes, as a subgraph would count them: one per run, held until released. */
function fakeEntityFetches() {
  const calls: { caller: SubgraphCaller; data: ResultObject; release: () => void }[] = [];
  const runEvent: SubscriptionStart['runEvent'] = (data, _errors, caller) =>
    new Promise<SubscriptionEvent>((resolve, reject) => {
      const release = () => {
        // What the subgraph answers depends on the caller it is told of.
        const review = data.reviewAdded as Record<string, unknown>;
        resolve({ data: { reviewAdded: { ...review, author: { name: `seen by ${caller.context.viewer?.subject ?? 'anonymous'}` } } } });
      };
      caller.context.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      calls.push({ caller, data, release });
    });
  return { calls, runEvent, releaseAll: () => calls.splice(0).forEach((call) => call.release()) };
}

let requests = 0;
const contextOf = (subject: string | null): GatewayContext => ({
  requestId: `r${++requests}`,
  signal: new AbortController().signal,
  deadlineAt: Date.now() + 60_000,
  clientAddress: '10.0.0.1',
  viewer: subject === null ? null : ({ subject, scopes: [], claims: {} } as unknown as GatewayContext['viewer']),
  acceptsStream: true,
});

const primary = {
  kind: 'Fetch',
  serviceName: 'reviews',
  operation: 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id } }',
  operationName: undefined,
  variableUsages: ['upc'],
} as unknown as FetchNode;

const supergraph = {};

interface Client {
  context: GatewayContext;
  events: AsyncIterableIterator<SubscriptionEvent>;
}

/** Starts a subscription for `subject` with `variables`, the rest of its plan run by `runEvent`. */
function subscribe(
  subscriptions: Subscriptions,
  runEvent: SubscriptionStart['runEvent'],
  { subject = null as string | null, variables = { upc: '1' } as Record<string, unknown>, operationKey = 'hash:', planned = supergraph as object } = {},
): Client {
  const context = contextOf(subject);
  const result = subscriptions.start({
    primary,
    variables,
    caller: { context, clientHeaders: new Map<string, string>() as unknown as SubgraphCaller['clientHeaders'] },
    document: parse('subscription { reviewAdded { id } }'),
    operationKey,
    supergraph: planned,
    runEvent,
  });
  expect(result).toEqual({});
  const stream = context.stream;
  if (stream?.kind !== 'subscription') throw new Error('no subscription stream');
  return { context, events: stream.events };
}

const create = (open: OpenUpstream) =>
  createSubscriptions({
    urlOf: () => 'http://reviews.invalid/graphql',
    // The subgraph is told who the caller is, as identity headers are.
    callerHeadersOf: (_subgraph, caller): Record<string, string> => (caller.context.viewer ? { 'x-subject': caller.context.viewer.subject } : {}),
    openerOf: () => open,
    signingSecret: 'secret-0123456789abcdef',
  });

const review = (id: string) => ({ data: { reviewAdded: { id } } });
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('subscription fan-out', () => {
  it('runs the rest of the plan once per event for a thousand identical subscriptions, and gives every client every event in order', async () => {
    const { sinks, open } = fakeOpener();
    const fetches = fakeEntityFetches();
    const subscriptions = create(open);
    const clients = Array.from({ length: 1000 }, () => subscribe(subscriptions, fetches.runEvent));
    expect(sinks).toHaveLength(1);
    for (const id of ['1', '2', '3']) sinks[0]!.next(review(id));
    await flush();
    // Three events, three runs, however many clients.
    expect(fetches.calls).toHaveLength(3);
    // Released out of order: delivery keeps the upstream's.
    fetches.calls[2]!.release();
    fetches.calls[0]!.release();
    fetches.calls[1]!.release();
    for (const client of clients) {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(((await client.events.next()).value as { data: { reviewAdded: { id: string } } }).data.reviewAdded.id);
      expect(ids).toEqual(['1', '2', '3']);
    }
    expect(subscriptions.active()).toBe(1000);
  });

  it('keeps the run going for the others when the client it was started for leaves mid-event, and cancels it when the last one leaves', async () => {
    const { sinks, open } = fakeOpener();
    const fetches = fakeEntityFetches();
    const subscriptions = create(open);
    const leader = subscribe(subscriptions, fetches.runEvent);
    const other = subscribe(subscriptions, fetches.runEvent);
    sinks[0]!.next(review('1'));
    await flush();
    expect(fetches.calls).toHaveLength(1);
    const running = fetches.calls[0]!;
    // The run is not made under any one client's signal.
    expect(running.caller.context.signal).not.toBe(leader.context.signal);
    await leader.events.return!();
    expect(running.caller.context.signal.aborted).toBe(false);
    running.release();
    expect(await other.events.next()).toEqual({ value: { data: { reviewAdded: { id: '1', author: { name: 'seen by anonymous' } } } }, done: false });
    expect(await leader.events.next()).toEqual({ value: undefined, done: true });
    // The last client leaves while an event runs: the run is cancelled, nothing is delivered, nothing throws.
    sinks[0]!.next(review('2'));
    await flush();
    const orphan = fetches.calls[1]!;
    await other.events.return!();
    expect(orphan.caller.context.signal.aborted).toBe(true);
    await flush();
    expect(subscriptions.active()).toBe(0);
    expect(subscriptions.upstreams()).toBe(0);
  });

  it('cancels a run when the last client leaves after the upstream ended normally (the run was for nobody)', async () => {
    const { sinks, open } = fakeOpener();
    const fetches = fakeEntityFetches();
    const subscriptions = create(open);
    const only = subscribe(subscriptions, fetches.runEvent);
    sinks[0]!.next(review('1'));
    sinks[0]!.complete();
    await flush();
    expect(fetches.calls).toHaveLength(1);
    const running = fetches.calls[0]!;
    await only.events.return!();
    expect(running.caller.context.signal.aborted).toBe(true);
  });

  it('gives clients that differ in identity, variables or operation their own run and result; identical ones share', async () => {
    const { sinks, open } = fakeOpener();
    const fetches = fakeEntityFetches();
    const subscriptions = create(open);
    const ada = [subscribe(subscriptions, fetches.runEvent, { subject: 'ada' }), subscribe(subscriptions, fetches.runEvent, { subject: 'ada' })];
    const bob = subscribe(subscriptions, fetches.runEvent, { subject: 'bob' });
    // The same upstream (the primary fetch does not use `extra`), another result.
    const otherVariables = subscribe(subscriptions, fetches.runEvent, { subject: 'ada', variables: { upc: '1', extra: true } });
    const otherOperation = subscribe(subscriptions, fetches.runEvent, { subject: 'ada', operationKey: 'other:' });
    // ada's and bob's identities open their own upstreams; ada's three kinds share one.
    expect(sinks).toHaveLength(2);
    sinks[0]!.next(review('1'));
    sinks[1]!.next(review('1'));
    await flush();
    // ada's two identical ones share a run; each other kind has its own.
    expect(fetches.calls).toHaveLength(4);
    expect(fetches.calls.map((call) => call.caller.context.viewer?.subject).sort()).toEqual(['ada', 'ada', 'ada', 'bob']);
    fetches.releaseAll();
    const nameOf = async (client: Client) =>
      ((await client.events.next()).value as { data: { reviewAdded: { author: { name: string } } } }).data.reviewAdded.author.name;
    expect(await Promise.all([...ada, bob, otherVariables, otherOperation].map(nameOf))).toEqual([
      'seen by ada',
      'seen by ada',
      'seen by bob',
      'seen by ada',
      'seen by ada',
    ]);
  });

  it('after a reload, a new identical subscription gets its own run (its own plan), and its own upstream when the URL moved', async () => {
    const { sinks, open } = fakeOpener();
    const fetches = fakeEntityFetches();
    let url = 'http://reviews.invalid/graphql';
    const subscriptions = createSubscriptions({
      urlOf: () => url,
      callerHeadersOf: () => ({}),
      openerOf: () => open,
      signingSecret: 'secret-0123456789abcdef',
    });
    const old = subscribe(subscriptions, fetches.runEvent);
    const reloaded = subscribe(subscriptions, fetches.runEvent, { planned: {} });
    // Same subgraph URL: one upstream, two runs (each supergraph's plan).
    expect(sinks).toHaveLength(1);
    sinks[0]!.next(review('1'));
    await flush();
    expect(fetches.calls).toHaveLength(2);
    fetches.releaseAll();
    url = 'http://reviews-moved.invalid/graphql';
    const moved = subscribe(subscriptions, fetches.runEvent, { planned: {} });
    expect(sinks).toHaveLength(2);
    for (const client of [old, reloaded]) expect((await client.events.next()).done).toBe(false);
    await moved.events.return!();
  });

  it('shares one finished event object between the clients of a group', async () => {
    const { sinks, open } = fakeOpener();
    const fetches = fakeEntityFetches();
    const subscriptions = create(open);
    const [a, b] = [subscribe(subscriptions, fetches.runEvent), subscribe(subscriptions, fetches.runEvent)];
    sinks[0]!.next(review('1'));
    await flush();
    fetches.releaseAll();
    const [first, second] = await Promise.all([a!.events.next(), b!.events.next()]);
    expect(first.value).toBe(second.value);
  });

  it('a client that joins while an event runs gets the events after it; a client that does not read ends alone as too slow', async () => {
    const { sinks, open } = fakeOpener();
    const fetches = fakeEntityFetches();
    const subscriptions = createSubscriptions({
      urlOf: () => 'http://reviews.invalid/graphql',
      callerHeadersOf: () => ({}),
      openerOf: () => open,
      signingSecret: 'secret-0123456789abcdef',
      queueLimit: 3,
    });
    const reader = subscribe(subscriptions, fetches.runEvent);
    const sleeper = subscribe(subscriptions, fetches.runEvent);
    sinks[0]!.next(review('1'));
    await flush();
    const late = subscribe(subscriptions, fetches.runEvent);
    fetches.releaseAll();
    expect(((await reader.events.next()).value as { data: { reviewAdded: { id: string } } }).data.reviewAdded.id).toBe('1');
    for (const id of ['2', '3', '4', '5']) {
      sinks[0]!.next(review(id));
      await flush();
      fetches.releaseAll();
      await flush();
      expect(((await reader.events.next()).value as { data: { reviewAdded: { id: string } } }).data.reviewAdded.id).toBe(id);
      expect(((await late.events.next()).value as { data: { reviewAdded: { id: string } } }).data.reviewAdded.id).toBe(id);
    }
    // The sleeper fell behind: its queue is dropped, it reads why, and is done.
    const last = (await sleeper.events.next()).value as SubscriptionEvent;
    expect(last.errors?.[0]?.extensions.code).toBe('SUBSCRIPTION_CLIENT_TOO_SLOW');
    expect((await sleeper.events.next()).done).toBe(true);
    expect(subscriptions.active()).toBe(2);
  });

  it("ends a group's clients with the upstream's failure, and a run that throws ends them with an internal error", async () => {
    const { sinks, open } = fakeOpener();
    const subscriptions = create(open);
    const failing: SubscriptionStart['runEvent'] = () => Promise.reject(new Error('bug'));
    const a = subscribe(subscriptions, failing);
    sinks[0]!.next(review('1'));
    const ended = (await a.events.next()).value as SubscriptionEvent;
    expect(ended.errors?.[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await a.events.next()).done).toBe(true);
    const fetches = fakeEntityFetches();
    const b = subscribe(subscriptions, fetches.runEvent);
    sinks[1]!.fail(new GraphQLError('refused', { extensions: { code: 'SUBGRAPH_ERROR' } }), false);
    expect(((await b.events.next()).value as SubscriptionEvent).errors?.[0]?.message).toBe('refused');
    expect(subscriptions.active()).toBe(0);
  });
});
