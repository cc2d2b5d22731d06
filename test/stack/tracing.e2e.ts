import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/startOtlpReceiver.js';
import { postGraphQL, startStack, type Stack } from '../support/startStack.js';

// One request through the whole stack (gateway → subgraphs → REST and gRPC backends) must be one
// trace: with tracing on, the exported spans of every hop share its trace id and link up; with
// tracing off, nothing is exported but every hop still logs the same trace id.

// Touches all four subgraphs, the catalog and inventory gRPC backends and both REST backends.
const QUERY = '{ topProducts(first: 2) { name inStock reviews { body author { name } } } }';
const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';

interface LogLine {
  name?: string;
  requestId?: string;
  traceId?: string;
}

let stack: Stack | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await stack?.close();
  await receiver?.close();
  stack = undefined;
  receiver = undefined;
});

/** A logger at debug level whose lines are kept, parsed, in `lines`. */
function captureLogs() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

async function query(headers: Record<string, string>) {
  const reply = await postGraphQL(stack!.url, QUERY, undefined, headers);
  expect(reply.errors).toBeUndefined();
  expect(reply.status).toBe(200);
}

const byScope = (spans: readonly ReceivedSpan[], scope: string) => spans.filter((span) => span.scope === scope);

describe('with tracing on', () => {
  it('exports spans of the gateway, the subgraphs and both kinds of backend under the client trace', async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({ config: { telemetry: { tracing: { enabled: true, otlpEndpoint: receiver.url } } } });
    await query({ traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01` });
    // Stopping the gateway flushes its exporter: every span is in by then, no waiting on a timer.
    await stack.close();
    stack = undefined;

    const spans = receiver.spans.filter((span) => span.traceId === CLIENT_TRACE_ID);
    const [gateway, ...moreGateway] = byScope(spans, 'portico-gateway').filter((span) => span.name !== 'gateway.fetch');
    expect(moreGateway).toEqual([]);
    expect(gateway).toMatchObject({ name: 'POST /graphql', parentSpanId: CLIENT_SPAN_ID, serviceName: 'portico-gateway' });
    // One span per request to a subgraph, each under the request's span.
    const fetchSpans = byScope(spans, 'portico-gateway').filter((span) => span.name === 'gateway.fetch');
    expect(fetchSpans.length).toBeGreaterThanOrEqual(4);
    expect(fetchSpans.every((span) => span.parentSpanId === gateway!.spanId)).toBe(true);
    expect(
      byScope(spans, 'portico-subgraph')
        .map((span) => span.name)
        .sort(),
    ).toEqual(expect.arrayContaining(['subgraph accounts', 'subgraph inventory', 'subgraph products', 'subgraph reviews']));
    const backends = byScope(spans, 'portico-backend').map((span) => span.name);
    expect(backends).toEqual(expect.arrayContaining(['ListTopProducts', 'GetStock', 'GET /users']));
    expect(backends.some((name) => /^GET \/products\/.+\/reviews$/.test(name))).toBe(true);
    // Every span but the gateway's hangs under another span of the same trace: the hops link up.
    const ids = new Set(spans.map((span) => span.spanId));
    expect(spans.filter((span) => span !== gateway && !ids.has(span.parentSpanId))).toEqual([]);
    // Each subgraph's span is the child of one of the gateway's fetch spans.
    const fetches = new Set(spans.filter((span) => span.name === 'gateway.fetch').map((span) => span.spanId));
    expect(byScope(spans, 'portico-subgraph').every((span) => fetches.has(span.parentSpanId))).toBe(true);
  });

  it('starts one trace per request when the client sends none', async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({ config: { telemetry: { tracing: { enabled: true, otlpEndpoint: receiver.url } } } });
    await query({ traceparent: 'not a traceparent' });
    await stack.close();
    stack = undefined;

    const roots = byScope(receiver.spans, 'portico-gateway').filter((span) => span.name !== 'gateway.fetch');
    expect(roots).toHaveLength(1);
    expect(roots[0]!.parentSpanId).toBe('');
    const traceId = roots[0]!.traceId;
    expect(traceId).not.toBe(CLIENT_TRACE_ID);
    expect(receiver.spans.every((span) => span.traceId === traceId)).toBe(true);
    expect(byScope(receiver.spans, 'portico-subgraph').length).toBeGreaterThanOrEqual(4);
    expect(byScope(receiver.spans, 'portico-backend').length).toBeGreaterThanOrEqual(4);
  });
});

describe('with tracing off', () => {
  it('exports nothing, and every hop logs the trace id of the request', async () => {
    receiver = await startOtlpReceiver();
    const { lines, logger } = captureLogs();
    // An endpoint is configured, but tracing is not enabled: nothing may be sent to it.
    stack = await startStack({ logger, config: { telemetry: { tracing: { enabled: false, otlpEndpoint: receiver.url } } } });
    await query({ 'x-request-id': 'traced-by-client', traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01` });
    await query({ 'x-request-id': 'traced-by-gateway' });
    await stack.close();
    stack = undefined;
    expect(receiver.exports()).toBe(0);

    const traceIdsAt = (requestId: string, hop: RegExp) =>
      new Set(lines.filter((line) => line.requestId === requestId && hop.test(line.name ?? '')).map((line) => line.traceId));
    expect(traceIdsAt('traced-by-client', /^test-subgraphs$/)).toEqual(new Set([CLIENT_TRACE_ID]));
    expect(traceIdsAt('traced-by-client', /^(users|reviews|catalog|inventory)$/)).toEqual(new Set([CLIENT_TRACE_ID]));
    // The gateway started the second trace; subgraphs and backends carry it on.
    const [minted, ...others] = traceIdsAt('traced-by-gateway', /^(test-subgraphs|users|reviews|catalog|inventory)$/);
    expect(others).toEqual([]);
    expect(minted).toMatch(/^[0-9a-f]{32}$/);
    expect(minted).not.toBe(CLIENT_TRACE_ID);
    for (const backend of ['users', 'reviews', 'catalog', 'inventory']) {
      expect(traceIdsAt('traced-by-gateway', new RegExp(`^${backend}$`)), backend).toEqual(new Set([minted]));
    }
  });
});
