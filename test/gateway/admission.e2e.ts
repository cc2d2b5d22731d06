import { describe, expect, vi } from 'vitest';
import { fetch } from 'undici';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { shopTest as it } from './fixtures/shopTest.js';
import { runOperation, wsClient } from './websocket/webSocketClient.js';
import type { RunningGateway } from './fixtures/startGateway.js';

// Production gateways with each test's admission settings; `slowField` holds a slot until the test lets it go.
// Every request comes from 127.0.0.1: no per-address cap (rateLimit.perAddress.maxInFlight) in front of admission.
const admitting = (admission: Record<string, unknown>) => ({ mode: 'production', server: { admission }, rateLimit: { perAddress: { maxInFlight: 0 } } });
const slow = (tag: string) => ({ query: `{ slowField(tag: "${tag}") }` });
// Production mode: /metrics is on the internal listener.
const admission = async (gateway: RunningGateway) =>
  parsePrometheusText(await (await fetch(`http://127.0.0.1:${gateway.server.metricsAddress()!.port}/metrics`)).text());

describe('admission control (server.admission)', () => {
  it('runs maxConcurrent operations, queues the next in arrival order, refuses past maxQueue with 503 OVERLOADED', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('admission-queue', admitting({ maxConcurrent: 1, maxQueue: 1 }));
    const first = postGraphQL(gateway.origin, slow('first'));
    await vi.waitFor(() => expect(pendingSlowFields('first')).toBe(1));
    const second = postGraphQL(gateway.origin, slow('second'));
    await vi.waitFor(async () => expect(valueOf(await admission(gateway), 'portico_admission_queued', {})).toBe(1));

    const refused = await postGraphQL(gateway.origin, slow('third'));
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get('retry-after')).toBe('1');
    expect(refused.body).toEqual({
      errors: [
        {
          message: 'The gateway is at capacity (1 operations running, 1 waiting: server.admission.maxQueue); retry shortly',
          extensions: { code: 'OVERLOADED' },
        },
      ],
    });
    // Health checks are never queued behind GraphQL work.
    expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
    // The queued operation has not started: its subgraph has not been asked.
    expect(pendingSlowFields('second')).toBe(0);

    releaseSlowFields();
    expect((await first).body).toEqual({ data: { slowField: 'finally' } });
    await vi.waitFor(() => expect(pendingSlowFields('second')).toBe(1));
    releaseSlowFields();
    expect((await second).body).toEqual({ data: { slowField: 'finally' } });

    const metrics = await admission(gateway);
    expect(valueOf(metrics, 'portico_admission_limit', {})).toBe(1);
    expect(valueOf(metrics, 'portico_admission_in_flight', {})).toBe(0);
    expect(valueOf(metrics, 'portico_rejections_total', { reason: 'overloaded', code: 'OVERLOADED' })).toBe(1);
  });

  it('refuses a request that waited queueTimeoutMs, and the next one still gets the slot', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('admission-timeout', admitting({ maxConcurrent: 1, queueTimeoutMs: 300 }));
    const first = postGraphQL(gateway.origin, slow('holder'));
    await vi.waitFor(() => expect(pendingSlowFields('holder')).toBe(1));

    const waited = await postGraphQL(gateway.origin, slow('late'));
    expect(waited.response.status).toBe(503);
    expect(waited.body.errors?.[0]).toEqual({
      message: 'The request waited 300 ms for the gateway to take it (server.admission.queueTimeoutMs); retry shortly',
      extensions: { code: 'OVERLOADED' },
    });
    expect(pendingSlowFields('late')).toBe(0);

    releaseSlowFields();
    await first;
    expect((await postGraphQL(gateway.origin, { query: '{ topProducts(first: 1) { name } }' })).body).toEqual({ data: { topProducts: [{ name: 'Table' }] } });
  });

  it('forgets a queued request whose client went away: it never runs and holds no place', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('admission-abort', admitting({ maxConcurrent: 1, maxQueue: 1 }));
    const first = postGraphQL(gateway.origin, slow('holder'));
    await vi.waitFor(() => expect(pendingSlowFields('holder')).toBe(1));

    const client = new AbortController();
    const abandoned = postGraphQL(gateway.origin, slow('abandoned'), {}, undefined, client.signal).catch((error: unknown) => error);
    await vi.waitFor(async () => expect(valueOf(await admission(gateway), 'portico_admission_queued', {})).toBe(1));
    client.abort();
    await abandoned;
    await vi.waitFor(async () => expect(valueOf(await admission(gateway), 'portico_admission_queued', {})).toBe(0));

    // Its place is free again: this one queues instead of being refused.
    const next = postGraphQL(gateway.origin, slow('next'));
    await vi.waitFor(async () => expect(valueOf(await admission(gateway), 'portico_admission_queued', {})).toBe(1));
    releaseSlowFields();
    await first;
    await vi.waitFor(() => expect(pendingSlowFields('next')).toBe(1));
    expect(pendingSlowFields('abandoned')).toBe(0);
    releaseSlowFields();
    expect((await next).body).toEqual({ data: { slowField: 'finally' } });
  });

  it('holds the slot of a @defer answer until its last part, over SSE, multipart and WebSocket', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('admission-defer', admitting({ maxConcurrent: 4 }));
    const inFlight = async () => valueOf(await admission(gateway), 'portico_admission_in_flight', {});
    for (const [tag, accept] of [
      ['defer-sse', 'text/event-stream'],
      ['defer-multipart', 'multipart/mixed;deferSpec=20220824,application/json'],
    ] as const) {
      const response = await fetch(`${gateway.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: `{ __typename ... @defer { slowField(tag: "${tag}") } }` }),
      });
      expect(response.status).toBe(200);
      // The first payload is out; the deferred part's work is still running, in the request's slot.
      await vi.waitFor(() => expect(pendingSlowFields(tag)).toBe(1));
      expect(await inFlight(), accept).toBe(1);
      releaseSlowFields();
      expect(await response.text()).toContain('finally');
      await vi.waitFor(async () => expect(await inFlight()).toBe(0));
    }
    const client = wsClient(`${gateway.origin}/graphql`);
    try {
      const run = runOperation(client, { query: '{ __typename ... @defer { slowField(tag: "defer-websocket") } }' });
      await vi.waitFor(() => expect(pendingSlowFields('defer-websocket')).toBe(1));
      expect(await inFlight(), 'websocket').toBe(1);
      releaseSlowFields();
      expect(JSON.stringify((await run).results)).toContain('finally');
      await vi.waitFor(async () => expect(await inFlight()).toBe(0));
      // Completed by its client before its part came: the slot is given back then.
      const stop = client.subscribe(
        { query: '{ __typename ... @defer { slowField(tag: "defer-dropped") } }' },
        { next: () => {}, error: () => {}, complete: () => {} },
      );
      await vi.waitFor(() => expect(pendingSlowFields('defer-dropped')).toBe(1));
      expect(await inFlight()).toBe(1);
      stop();
      await vi.waitFor(async () => expect(await inFlight()).toBe(0));
      releaseSlowFields();
    } finally {
      await client.dispose();
    }
  });

  it('under auto, raises the limit while operations wait on a slow subgraph, so they are not starved', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('admission-auto', admitting({ maxConcurrent: 'auto' }));
    const startLimit = valueOf(await admission(gateway), 'portico_admission_limit', {});
    const requests = Array.from({ length: startLimit + 24 }, (_, index) => postGraphQL(gateway.origin, slow(`auto-${index}`)));
    // The event loop is idle while every slot waits on the subgraph: the limit grows until all run.
    await vi.waitFor(() => expect(Array.from({ length: requests.length }, (_, index) => pendingSlowFields(`auto-${index}`)).every((n) => n === 1)).toBe(true), {
      timeout: 10_000,
    });
    // All of them run, so the limit rose; it may since have eased back while the test itself kept the loop busy.
    expect(valueOf(await admission(gateway), 'portico_admission_limit', {})).toBeGreaterThan(startLimit);
    releaseSlowFields();
    for (const request of requests) expect((await request).body).toEqual({ data: { slowField: 'finally' } });
  });
});
