import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUpstreamHub, type UpstreamItem } from '../../../gateway/subscriptions/createUpstreamHub.js';
import type { OpenUpstream, UpstreamSink, UpstreamTarget } from '../../../gateway/subscriptions/OpenUpstream.js';

const target = (variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): UpstreamTarget => ({
  subgraph: 'reviews',
  url: 'http://reviews.invalid/graphql',
  request: { query: 'subscription { reviewAdded { id } }', operationName: undefined, variables },
  headers,
  requestId: 'r',
  signingSecret: 'secret-0123456789abcdef',
});

/** A fake transport: each open recorded with its sink, and whether it was closed. */
function fakeOpener() {
  const opens: { target: UpstreamTarget; sink: UpstreamSink; closed: boolean }[] = [];
  const open: OpenUpstream = (opened, sink) => {
    const entry = { target: opened, sink, closed: false };
    opens.push(entry);
    return () => {
      entry.closed = true;
    };
  };
  return { opens, open };
}

const reconnect = { attempts: 2, initialDelayMs: 10, maxDelayMs: 20 };
const event = (id: string): UpstreamItem => ({ event: { data: { reviewAdded: { id } } } });

afterEach(() => {
  vi.useRealTimers();
});

describe('createUpstreamHub', () => {
  it('shares one upstream between identical subscriptions, fans out, and closes it when the last leaves', async () => {
    const { opens, open } = fakeOpener();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect });
    const first = hub.join(target())!;
    const second = hub.join(target())!;
    expect(opens).toHaveLength(1);
    opens[0]!.sink.next({ data: { reviewAdded: { id: '1' } } });
    expect(await first.next()).toEqual({ value: event('1'), done: false });
    expect(await second.next()).toEqual({ value: event('1'), done: false });
    await first.return();
    expect(opens[0]!.closed).toBe(false);
    await second.return();
    expect(opens[0]!.closed).toBe(true);
    expect(hub.upstreams()).toBe(0);
  });

  it('keeps subscriptions apart that differ in variables or caller headers', () => {
    const { opens, open } = fakeOpener();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect });
    hub.join(target({ upc: '1' }));
    hub.join(target({ upc: '2' }));
    hub.join(target({ upc: '1' }, { 'x-portico-identity': 'someone' }));
    expect(opens).toHaveLength(3);
  });

  it('ends a client that falls a queue behind with SUBSCRIPTION_CLIENT_TOO_SLOW; the others go on', async () => {
    const { opens, open } = fakeOpener();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 2, reconnect });
    const slow = hub.join(target())!;
    const reader = hub.join(target())!;
    for (const id of ['1', '2', '3']) {
      opens[0]!.sink.next({ data: { reviewAdded: { id } } });
      expect(await reader.next()).toEqual({ value: event(id), done: false });
    }
    const last = await slow.next();
    expect((last.value as { fatal: GraphQLError }).fatal.extensions.code).toBe('SUBSCRIPTION_CLIENT_TOO_SLOW');
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    opens[0]!.sink.next({ data: { reviewAdded: { id: '4' } } });
    expect(await reader.next()).toEqual({ value: event('4'), done: false });
  });

  it("reconnects after the subgraph's failure, with backoff, and gives up with the error after the attempts", async () => {
    vi.useFakeTimers();
    const { opens, open } = fakeOpener();
    const onReconnect = vi.fn();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect, onReconnect });
    const client = hub.join(target())!;
    const down = new GraphQLError('down', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    opens[0]!.sink.fail(down, true);
    await vi.advanceTimersByTimeAsync(25);
    expect(opens).toHaveLength(2);
    // A connection that delivers an event starts the count afresh.
    opens[1]!.sink.connected();
    opens[1]!.sink.next({ data: { reviewAdded: { id: '1' } } });
    expect(await client.next()).toEqual({ value: event('1'), done: false });
    opens[1]!.sink.fail(down, true);
    await vi.advanceTimersByTimeAsync(25);
    opens[2]!.sink.fail(down, true);
    await vi.advanceTimersByTimeAsync(50);
    opens[3]!.sink.fail(down, true);
    await vi.advanceTimersByTimeAsync(100);
    expect(opens).toHaveLength(4);
    expect(onReconnect).toHaveBeenCalledTimes(3);
    expect(await client.next()).toEqual({ value: { fatal: down }, done: false });
    expect(await client.next()).toEqual({ value: undefined, done: true });
  });

  it('gives up on an upstream that accepts and drops at once, every time (no reconnect loop)', async () => {
    vi.useFakeTimers();
    const { opens, open } = fakeOpener();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect });
    const client = hub.join(target())!;
    const down = new GraphQLError('down', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    for (let i = 0; i < 10 && !client.ended; i++) {
      opens[i]!.sink.connected();
      opens[i]!.sink.fail(down, true);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(opens).toHaveLength(reconnect.attempts + 1);
    expect(await client.next()).toEqual({ value: { fatal: down }, done: false });
    expect(hub.upstreams()).toBe(0);
  });

  it('on complete, each client still reads the events queued before it, then is done', async () => {
    const { opens, open } = fakeOpener();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect });
    const client = hub.join(target())!;
    opens[0]!.sink.next({ data: { reviewAdded: { id: '1' } } });
    opens[0]!.sink.next({ data: { reviewAdded: { id: '2' } } });
    opens[0]!.sink.complete();
    expect(await client.next()).toEqual({ value: event('1'), done: false });
    expect(await client.next()).toEqual({ value: event('2'), done: false });
    expect(await client.next()).toEqual({ value: undefined, done: true });
    expect(hub.upstreams()).toBe(0);
  });

  it('refuses, opening nothing, a subscription that needs one upstream past maxUpstreams; identical ones still share', () => {
    const { opens, open } = fakeOpener();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect, maxUpstreams: 1 });
    expect(hub.join(target({ upc: '1' }))).toBeDefined();
    expect(hub.join(target({ upc: '2' }))).toBeUndefined();
    expect(hub.join(target({ upc: '1' }))).toBeDefined();
    expect(opens).toHaveLength(1);
    expect(hub.upstreams()).toBe(1);
  });

  it('never retries a refusal the request caused', async () => {
    const { opens, open } = fakeOpener();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect });
    const client = hub.join(target())!;
    const refused = new GraphQLError('bad', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    opens[0]!.sink.fail(refused, false);
    expect(await client.next()).toEqual({ value: { fatal: refused }, done: false });
    expect(opens).toHaveLength(1);
  });

  it("tells the subgraph's health of an upstream accepted or failed by the subgraph, never of a refusal the request caused", () => {
    const { opens, open } = fakeOpener();
    const told: [string, boolean][] = [];
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect, onHealth: (subgraph, healthy) => told.push([subgraph, healthy]) });
    hub.join(target({ upc: '1' }));
    hub.join(target({ upc: '2' }));
    opens[0]!.sink.connected();
    opens[0]!.sink.fail(new GraphQLError('dropped', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }), true);
    opens[1]!.sink.fail(new GraphQLError('bad', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }), false);
    expect(told).toEqual([
      ['reviews', true],
      ['reviews', false],
    ]);
  });

  it('reconnects a dropped upstream where its subgraph is now (a reload moved it), keeping its clients', async () => {
    const { opens, open } = fakeOpener();
    let url = 'http://reviews.invalid/graphql';
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect, urlOf: () => url });
    const client = hub.join(target())!;
    url = 'http://reviews-moved.invalid/graphql';
    opens[0]!.sink.fail(new GraphQLError('dropped', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }), true);
    await vi.waitFor(() => expect(opens).toHaveLength(2));
    expect(opens[1]!.target.url).toBe('http://reviews-moved.invalid/graphql');
    opens[1]!.sink.next({ data: { reviewAdded: { id: '1' } } });
    expect(await client.next()).toEqual({ value: event('1'), done: false });
  });

  it('close() ends every client with the reason and closes every upstream', async () => {
    const { opens, open } = fakeOpener();
    const hub = createUpstreamHub({ openerOf: () => open, queueLimit: 10, reconnect });
    const one = hub.join(target({ upc: '1' }))!;
    const two = hub.join(target({ upc: '2' }))!;
    const stopping = new GraphQLError('stopping', { extensions: { code: 'GATEWAY_STOPPING' } });
    hub.close(stopping);
    expect(await one.next()).toEqual({ value: { fatal: stopping }, done: false });
    expect(await two.next()).toEqual({ value: { fatal: stopping }, done: false });
    expect(opens.every((entry) => entry.closed)).toBe(true);
  });
});
