import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectRefused, expectStillServing, postRaw, send, type Reply } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

// Operation recording and the explorer's plan endpoint against a real gateway process in
// development (the plan endpoint's only mode), its metrics listener internal so that
// /operations is served. Clients choose operation names, client names and versions, and
// documents: the record stays bounded (entries and string lengths), holds no control character,
// treats `__proto__` as any other name; the plan endpoint checks the limits before it plans.

const MAX_OPERATIONS = 300;
const MAX_NAME = 128;
let target: Target;
let operationsUrl: string;

beforeAll(async () => {
  target = await startTarget({
    mode: 'development',
    // At info, the gateway logs where its internal listener is (see operationsUrlOf).
    env: { LOG_LEVEL: 'info' },
    config: {
      metrics: { listener: 'internal', port: 0, host: '127.0.0.1' },
      operationRecording: { maxOperations: MAX_OPERATIONS },
      // Hundreds of distinct documents from one address in a minute: past the new-document budget by design (workBudgets.e2e.ts).
      rateLimit: {
        perAddress: { windowSeconds: 60, limit: 100_000, newDocuments: { windowSeconds: 60, limit: 100_000 } },
        default: { windowSeconds: 60, limit: 100_000 },
      },
    },
  });
  operationsUrl = await operationsUrlOf(target);
});

/**
 * Where a target serves /operations: its internal listener, on port 0 (a free port chosen, then
 * bound by the gateway, could be taken meanwhile by a process of another test file), as the
 * gateway logs it once it serves.
 */
async function operationsUrlOf(served: Target): Promise<string> {
  let origin: string | undefined;
  await vi.waitFor(() => {
    origin = /metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics \(internal listener\)/.exec(served.output())?.[1];
    expect(origin, served.output()).toBeDefined();
  });
  return `${origin}/operations`;
}

afterAll(async () => {
  await target?.close();
});

interface Recorded {
  hash: string;
  operationName: string | null;
  clientName: string;
  clientVersion: string;
  document: string | null;
  count: number;
  otherClients?: true;
}

async function recorded(): Promise<Recorded[]> {
  const response = await fetch(operationsUrl);
  expect(response.status).toBe(200);
  return ((await response.json()) as { operations: Recorded[] }).operations;
}

// Nothing below U+0020, DEL, C1 controls or lone surrogates, and at most MAX_NAME characters.
function expectClean(text: string | null): void {
  if (text === null) return;
  expect(text.length).toBeLessThanOrEqual(MAX_NAME);
  expect([...text].every((char) => char.charCodeAt(0) >= 0x20 && !(char.charCodeAt(0) >= 0x7f && char.charCodeAt(0) <= 0x9f))).toBe(true);
  // No lone surrogate: a high one is followed by a low one, and a low one preceded by a high one.
  expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)).toBe(false);
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let at = 0; at < items.length; at += size) await Promise.all(items.slice(at, at + size).map(each));
}

describe('operation recording under hostile clients', () => {
  it('stays bounded under three times as many distinct operations and client names as it keeps', async () => {
    // `__typename` alone calls no subgraph. Three times the bound: the first two thirds must
    // have been evicted, the last kept (2,000 requests cost a minute on a busy machine).
    const sent = Array.from({ length: 3 * MAX_OPERATIONS }, (_, index) => index);
    await inBatches(sent, 25, async (index) => {
      const reply = await postRaw(
        target,
        { query: `query Op${index} { __typename }` },
        {
          'apollographql-client-name': `client-${index}`,
          'apollographql-client-version': `v${index}`,
        },
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    });
    const operations = await recorded();
    expect(operations.length).toBe(MAX_OPERATIONS);
    // The most recently seen are kept: the last request's operation is among them.
    const names = operations.map((operation) => `${operation.operationName}/${operation.clientName}`);
    expect(names.slice(0, 40)).toContain(`Op${sent.length - 1}/client-${sent.length - 1}`);
    expect(operations.some((operation) => operation.operationName === 'Op0')).toBe(false);
    await expectStillServing(target);
  }, 240_000);

  it('bounds and cleans hostile client names and versions, and takes __proto__ as a name like any other', async () => {
    const hostile = ['__proto__', 'constructor', 'prototype', 'x'.repeat(8000), 'evil\u009b31mred\u0085', 'tab\there', 'caf\u00e9'];
    for (const name of hostile) {
      const reply = await postRaw(
        target,
        { query: 'query __proto__ { topProducts(first: 1) { upc } }' },
        {
          'apollographql-client-name': name,
          'apollographql-client-version': name,
        },
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    }
    const huge = `Op${'x'.repeat(20_000)}`;
    expect((await postRaw(target, { query: `query ${huge} { topProducts(first: 1) { upc } }` })).status).toBe(200);

    const operations = await recorded();
    for (const operation of operations) {
      expectClean(operation.operationName);
      expectClean(operation.clientName);
      expectClean(operation.clientVersion);
    }
    const proto = operations.filter((operation) => operation.operationName === '__proto__');
    expect(proto.map((operation) => operation.clientName)).toEqual(
      expect.arrayContaining(['__proto__', 'constructor', 'prototype', 'x'.repeat(MAX_NAME), 'evil\ufffd31mred\ufffd', 'tab\ufffdhere', 'caf\u00e9']),
    );
    expect(operations.find((operation) => operation.operationName?.startsWith('Opxxx'))?.operationName).toBe(huge.slice(0, MAX_NAME));
    // A prototype name stays a value: nothing leaked onto Object.prototype of the listing.
    expect(Object.getPrototypeOf(operations[0])).toBe(Object.prototype);
    await expectStillServing(target);
  });

  it('records any generated client name bounded and clean', async () => {
    // Header values: any byte an HTTP/1.1 header value may carry (tab, visible ASCII, and obs-text
    // 0x80-0xFF, C1 controls included, which Node hands over as Latin-1); Node's parser itself
    // refuses other control bytes before the gateway sees the request.
    const headerByte = fc.oneof(fc.constant(0x09), fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }));
    const headerText = fc.string({ unit: headerByte.map((code) => String.fromCharCode(code)), maxLength: 400 });
    await fc.assert(
      fc.asyncProperty(headerText, fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,300}$/), async (client, name) => {
        const reply = await postRaw(
          target,
          { query: `query ${name} { topProducts(first: 1) { upc } }` },
          { 'apollographql-client-name': client.trim() || 'x' },
        );
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      }),
      { numRuns: 60 },
    );
    for (const operation of await recorded()) {
      expectClean(operation.operationName);
      expectClean(operation.clientName);
    }
    expect(target.alive()).toBe(true);
  });
});

describe('operation recording under a flood meant to push real operations out', () => {
  // The review's attack on `portico check`: flood the record until the operations real clients
  // run are evicted, and a breaking change passes. From one address, against a record of 100,
  // within the default new-document budget (100 every 10 s); only the default 600 requests a
  // minute is raised, so that the 1,020 requests take seconds rather than two minutes.
  const RECORD = 100;
  let flooded: Target;
  let floodedOperations: string;

  beforeAll(async () => {
    flooded = await startTarget({
      mode: 'development',
      env: { LOG_LEVEL: 'info' },
      config: {
        metrics: { listener: 'internal', port: 0, host: '127.0.0.1' },
        operationRecording: { maxOperations: RECORD },
        rateLimit: { default: { windowSeconds: 60, limit: 2000 } },
      },
    });
    floodedOperations = await operationsUrlOf(flooded);
  });

  afterAll(async () => {
    await flooded?.close();
  });

  it('keeps an operation a real client runs repeatedly through 1,020 client names and a flood of one-shot documents', async () => {
    const iosReviews = 'query IosReviews { topProducts(first: 1) { reviews { rating } } }';
    const ios = { 'apollographql-client-name': 'ios', 'apollographql-client-version': '2.0' };
    for (let run = 0; run < 3; run += 1) expect((await postRaw(flooded, { query: iosReviews }, ios)).status).toBe(200);

    // One document under 1,020 client names, then as many new documents as the new-document
    // budget allows in its window (IosReviews and `{ __typename }` took two of its 100).
    const names = Array.from({ length: 1020 }, (_, index) => index);
    await inBatches(names, 10, async (index) => {
      const reply = await postRaw(flooded, { query: '{ __typename }' }, { 'apollographql-client-name': `junk-${index}`, 'apollographql-client-version': '1' });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    });
    const oneShots = Array.from({ length: 95 }, (_, index) => index);
    await inBatches(oneShots, 10, async (index) => {
      const reply = await postRaw(flooded, { query: `query Junk${index} { __typename }` }, { 'apollographql-client-name': `junk-${index}` });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    });

    const response = await fetch(floodedOperations);
    const operations = ((await response.json()) as { operations: Recorded[] }).operations;
    expect(operations.length).toBe(RECORD);
    expect(operations.find((operation) => operation.operationName === 'IosReviews')).toMatchObject({ clientName: 'ios', clientVersion: '2.0', count: 3 });
    expect(operations.find((operation) => operation.operationName === 'IosReviews')?.document).toContain('reviews');
    // The 1,020 names made at most maxClientsPerOperation (20) records (used once each, the
    // one-shot documents pushed them out) and one for the 1,000 others.
    const typename = operations.filter((operation) => operation.operationName === null);
    expect(typename.length).toBeLessThanOrEqual(21);
    expect(typename.find((operation) => operation.otherClients)).toMatchObject({ clientName: '(other clients)', count: 1000 });
    await expectStillServing(flooded);
  }, 180_000);
});

describe('the plan endpoint under hostile documents', () => {
  const plan = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Reply> =>
    send(`${target.origin}/graphiql/plan`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('plans a fair document', async () => {
    const reply = await plan({ query: '{ topProducts(first: 1) { name reviews { body } } }' });
    expect(reply.status).toBe(200);
  });

  it('refuses a giant document before parsing it', async () => {
    const giant = `{ topProducts { ${'upc '.repeat(60_000)} } }`;
    expectRefused(await plan({ query: giant }), ['PAYLOAD_TOO_LARGE', 'MAX_DOCUMENT_BYTES_EXCEEDED']);
    const overDocumentLimit = `{ topProducts { ${'upc '.repeat(9_000)} } }`;
    expectRefused(await plan({ query: overDocumentLimit }), ['MAX_DOCUMENT_BYTES_EXCEEDED']);
    await expectStillServing(target);
  });

  it('refuses a fragment bomb, deep nesting and alias floods before planning', async () => {
    // Each fragment spreads the next twice: 2^25 fields once written out, in a few hundred bytes.
    const levels = 25;
    const fragments = Array.from({ length: levels }, (_, index) =>
      index === levels - 1 ? `fragment F${index} on Product { upc name }` : `fragment F${index} on Product { ...F${index + 1} ...F${index + 1} }`,
    ).join('\n');
    expectRefused(await plan({ query: `{ topProducts { ...F0 } }\n${fragments}` }), ['MAX_EXPANDED_FIELDS_EXCEEDED', 'MAX_DEPTH_EXCEEDED']);
    const deep = `{ topProducts { ${'reviews { product { '.repeat(20)}upc${' } }'.repeat(20)} } }`;
    expectRefused(await plan({ query: deep }), ['MAX_DEPTH_EXCEEDED']);
    const aliases = `{ ${Array.from({ length: 200 }, (_, index) => `a${index}: topProducts(first: 1) { upc }`).join(' ')} }`;
    expectRefused(await plan({ query: aliases }), ['MAX_ALIASES_EXCEEDED', 'MAX_ROOT_FIELDS_EXCEEDED']);
    expectRefused(await plan(`{"query": ${'['.repeat(5000)}${']'.repeat(5000)}}`), ['MAX_JSON_DEPTH_EXCEEDED']);
    await expectStillServing(target);
  });

  it('refuses bodies and names that are not a plan request', async () => {
    expectRefused(await plan('not json'), ['BAD_REQUEST']);
    expectRefused(await plan({ query: '{ a }' }, { 'content-type': 'text/plain' }), ['UNSUPPORTED_MEDIA_TYPE']);
    expectRefused(await plan({ query: { __proto__: { polluted: true } } }), ['BAD_REQUEST']);
    for (const operationName of ['__proto__', 'constructor', 'x'.repeat(5000)]) {
      expectRefused(await plan({ query: 'query A { topProducts { upc } }', operationName }), ['OPERATION_RESOLUTION_FAILURE']);
    }
    expectRefused(await send(`${target.origin}/graphiql/plan`), ['METHOD_NOT_ALLOWED']);
    await expectStillServing(target);
  });

  it('answers any generated document with a plan or a coded 4xx, never a 500', async () => {
    const pieces = fc.constantFrom(
      '{',
      '}',
      'topProducts',
      'upc',
      'reviews',
      '...F',
      'fragment F on Product',
      '(first: 1)',
      'query',
      '__proto__',
      '@skip(if: true)',
      'a: ',
      '"',
      '$v',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 60 }), async (parts) => {
        const reply = await plan({ query: parts.join(' ') });
        if (reply.status !== 200) expectRefused(reply);
      }),
      { numRuns: 60 },
    );
    expect(target.alive()).toBe(true);
  });
});
