import { createHash } from 'node:crypto';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { expectRefused, expectStillServing, type Reply } from './support/expectRefused.js';
import { clientFrom } from './support/sendFromAddress.js';
import { startTarget, type Target } from './support/startTarget.js';
import { TRUSTED_PROXY } from './support/trustedProxy.js';

// The per-address budgets of work done before any per-client rule can judge a request: new
// documents (tokenized, parsed, validated and planned once each) and body bytes (read before
// anything else). Small budgets here; the legitimate client of expectStillServing is 127.0.0.1,
// each other address another loopback address or a name forwarded by a trusted proxy.
const NEW_DOCUMENTS = 12;
// At least server.bodyLimitBytes (1 MiB): two declared bodies of a megabyte fit, a third does not.
const BODY_BYTES = 2_100_000;
const DECLARED = 1_000_000;

let target: Target;

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      // A body that is read waits this long for its bytes: a 408 here would come long after the 429s below.
      server: { bodyTimeoutMs: 60_000, headersTimeoutMs: 60_000 },
      rateLimit: {
        trustedProxies: [TRUSTED_PROXY],
        perAddress: {
          windowSeconds: 60,
          limit: 100_000,
          // Held as the per-address 429s are, briefly (the window is a minute).
          holdRefusalsMs: 200,
          newDocuments: { windowSeconds: 60, limit: NEW_DOCUMENTS },
          bodyBytes: { windowSeconds: 60, limit: BODY_BYTES },
        },
        default: { windowSeconds: 60, limit: 100_000 },
      },
      metrics: { listener: 'public' },
    },
  });
});

afterAll(async () => {
  await target?.close();
});

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/);
/** Valid documents, each one the gateway has not seen: a generated operation name and alias, made unique by `tag`. */
const documentsArb = (count: number, tag: string) =>
  fc
    .uniqueArray(fc.tuple(name, name), { minLength: count, maxLength: count, selector: ([operation]) => operation })
    .map((pairs) => pairs.map(([operation, alias], i) => `query ${operation}_${tag}_${i} { ${alias}: topProducts(first: 1) { upc } }`));

const served = (reply: Reply) => {
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body?.errors, JSON.stringify(reply.body)).toBeUndefined();
};

/** The over-budget answer: 429 RATE_LIMITED with retry-after, held and then closing its connection, never a stack. */
function expectOverBudget(reply: Reply, rule: 'newDocuments' | 'bodyBytes'): void {
  expectRefused(reply, ['RATE_LIMITED']);
  expect(reply.status).toBe(429);
  expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(reply.headers.get('connection')).toBe('close');
  expect(reply.body?.errors?.[0]?.extensions).toMatchObject({ rule });
}

async function rejectionsNow(): Promise<number> {
  return valueOf(parsePrometheusText(await (await fetch(`${target.origin}/metrics`)).text()), 'portico_rejections_total', { reason: 'rate_limit' });
}

describe('the new-document budget', () => {
  it('refuses an address sending ever new valid documents once over its budget, while another repeating one document is served throughout', async () => {
    const rejectionsBefore = await rejectionsNow();
    const regular = clientFrom(target, '127.0.0.3');
    const repeated = { query: 'query Storefront { topProducts(first: 2) { upc name } }' };
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(documentsArb(NEW_DOCUMENTS + 4, 'r'), async (generated) => {
          run += 1;
          // A fresh address per run: each has its own budget.
          const flooder = clientFrom(target, `127.0.4.${run}`);
          try {
            const documents = generated.map((text) => text.replace('_r_', `_r${run}_`));
            for (const [i, query] of documents.entries()) {
              const reply = await flooder.post({ query });
              if (i < NEW_DOCUMENTS) served(reply);
              else expectOverBudget(reply, 'newDocuments');
              served(await regular.post(repeated));
            }
            // Over its budget, it is still served a document the gateway knows.
            served(await flooder.post({ query: documents[0] }));
          } finally {
            flooder.close();
          }
        }),
        { numRuns: 4 },
      );
    } finally {
      regular.close();
    }
    expect(await rejectionsNow()).toBeGreaterThanOrEqual(rejectionsBefore + 4 * 4);
    await expectStillServing(target);
  }, 120_000);

  it('never counts a repeated document, nor one sent by its registered APQ hash', async () => {
    const client = clientFrom(target, '127.0.0.5');
    try {
      const query = 'query Repeated { topProducts(first: 1) { name } }';
      for (let i = 0; i < NEW_DOCUMENTS * 3; i += 1) served(await client.post({ query }));
      const apq = 'query Persisted { topProducts(first: 1) { price } }';
      const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(apq).digest('hex') };
      // Registered once (a new document: it counts), then named by its hash only.
      served(await client.post({ query: apq, extensions: { persistedQuery } }));
      for (let i = 0; i < NEW_DOCUMENTS * 2; i += 1) served(await client.post({ extensions: { persistedQuery } }));
      // Two documents counted so far: the rest of the budget is still there.
      for (let i = 0; i < NEW_DOCUMENTS - 2; i += 1) served(await client.post({ query: `query Fresh${i} { topProducts(first: 1) { upc } }` }));
      expectOverBudget(await client.post({ query: 'query OneTooMany { topProducts(first: 1) { upc } }' }), 'newDocuments');
    } finally {
      client.close();
    }
    await expectStillServing(target);
  }, 60_000);

  it('counts each new document of a batch', async () => {
    const client = clientFrom(target, '127.0.0.6');
    try {
      const batch = (from: number) => Array.from({ length: 4 }, (_, i) => ({ query: `query Batched${from + i} { topProducts(first: 1) { upc } }` }));
      for (let i = 0; i < NEW_DOCUMENTS / 4; i += 1) expect((await client.post(batch(i * 4))).status).toBe(200);
      expectOverBudget(await client.post(batch(1000)), 'newDocuments');
    } finally {
      client.close();
    }
  }, 60_000);
});

const head = (contentLength: number, forwardedFor?: string) =>
  `POST /graphql HTTP/1.1\r\nhost: gateway\r\n${forwardedFor === undefined ? '' : `x-forwarded-for: ${forwardedFor}\r\n`}content-type: application/json\r\ncontent-length: ${contentLength}\r\n\r\n`;

/** A raw connection from `localAddress` that has sent `text`, reporting what the gateway wrote and whether it closed. */
async function connectFrom(localAddress: string, text: string) {
  const socket = net.connect({ port: Number(new URL(target.origin).port), host: '127.0.0.1', localAddress });
  socket.on('error', () => {});
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('close', () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(text);
  return { socket, received: () => received, closed: () => closed };
}

describe('the body-bytes budget', () => {
  it('refuses a declared body past the budget before reading it: the 429 comes while the client has sent the headers and a few bytes', async () => {
    const partial = '{"query":"{ __typename }","extensions":{"pad":"';
    // Two megabyte bodies declared and begun: within the budget, so the gateway waits for them (60 s).
    const reading = [await connectFrom('127.0.0.7', `${head(DECLARED)}${partial}`), await connectFrom('127.0.0.7', `${head(DECLARED)}${partial}`)];
    await expectStillServing(target);
    // The third is past it: answered now, its body unread (a read would wait 60 s, then 408).
    const refused = await connectFrom('127.0.0.7', `${head(DECLARED)}${partial}`);
    await expect.poll(() => refused.received(), { timeout: 20_000 }).toMatch(/^HTTP\/1\.1 429 /);
    await expect.poll(() => refused.received(), { timeout: 10_000 }).toContain('"code":"RATE_LIMITED"');
    expect(refused.received()).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect(refused.received()).toContain('"rule":"bodyBytes"');
    expect(refused.received()).not.toMatch(/\n\s+at /);
    await expect.poll(() => refused.closed(), { timeout: 10_000 }).toBe(true);
    // The two within the budget are still being read, unanswered.
    expect(reading.map((connection) => connection.received())).toEqual(['', '']);
    // Small bodies from the same address are over the budget too; another address is served.
    const sameAddress = clientFrom(target, '127.0.0.7');
    expectOverBudget(await sameAddress.post({ query: '{ __typename }' }), 'bodyBytes');
    sameAddress.close();
    const other = clientFrom(target, '127.0.0.8');
    served(await other.post({ query: '{ topProducts(first: 1) { upc } }' }));
    other.close();
    for (const { socket } of [...reading, refused]) socket.destroy();
    await expectStillServing(target);
  }, 60_000);

  it('keeps RSS bounded across many large declared bodies from an address over its budget', async () => {
    // Spend the budget of 127.0.1.1 with two declared bodies that are never finished.
    const spent = [await connectFrom('127.0.1.1', head(DECLARED)), await connectFrom('127.0.1.1', head(DECLARED))];
    await expectStillServing(target);
    const before = target.rssBytes();
    const chunk = 'x'.repeat(64 * 1024);
    for (let round = 0; round < 10; round += 1) {
      const flood = await Promise.all(Array.from({ length: 8 }, () => connectFrom('127.0.1.1', `${head(DECLARED)}${chunk}`)));
      for (const connection of flood) await expect.poll(() => connection.received(), { timeout: 20_000 }).toMatch(/^HTTP\/1\.1 429 /);
      for (const { socket } of flood) socket.destroy();
    }
    // 80 megabyte bodies declared: none was read, so none was held.
    expect(target.rssBytes() - before).toBeLessThan(64 * 2 ** 20);
    for (const { socket } of spent) socket.destroy();
    await expectStillServing(target);
  }, 120_000);
});

describe('client-chosen addresses (forwarded by a trusted proxy)', () => {
  it('counts a forwarded hop that is no address (`__proto__`, `constructor`, `toString`) as the proxy, and one client whatever the port it is written with', async () => {
    const proxy = clientFrom(target, TRUSTED_PROXY);
    const document = (tag: string) => ({ query: `query ${tag} { topProducts(first: 1) { upc } }` });
    try {
      // Text that is no address is never a bucket of its own (it could vary per request): the proxy's budget, shared.
      const names = ['__proto__', 'constructor', 'toString'];
      for (let i = 0; i < NEW_DOCUMENTS; i += 1) served(await proxy.post(document(`Named${i}`), { 'x-forwarded-for': names[i % names.length]! }));
      for (const forwarded of names)
        expectOverBudget(await proxy.post(document(`OverNamed${forwarded.replace(/_/g, 'u')}`), { 'x-forwarded-for': forwarded }), 'newDocuments');
      // A forwarded address is its own client; written with a port or in brackets, still one client.
      for (let i = 0; i < NEW_DOCUMENTS; i += 1) served(await proxy.post(document(`Ported${i}`), { 'x-forwarded-for': `198.51.100.7:${1000 + i}` }));
      expectOverBudget(await proxy.post(document('OverPorted'), { 'x-forwarded-for': '198.51.100.7:2000' }), 'newDocuments');
      for (let i = 0; i < NEW_DOCUMENTS; i += 1) served(await proxy.post(document(`Bracketed${i}`), { 'x-forwarded-for': `[2001:db8:7:7::${i + 1}]:443` }));
      expectOverBudget(await proxy.post(document('OverBracketed'), { 'x-forwarded-for': '[2001:db8:7:7::ff]' }), 'newDocuments');
      served(await proxy.post(document('AnotherClient'), { 'x-forwarded-for': '198.51.100.8' }));
      // The proxy's body-bytes budget, through `__proto__`: two megabyte bodies begun, the third refused unread.
      const reading = [await connectFrom(TRUSTED_PROXY, head(DECLARED, '__proto__')), await connectFrom(TRUSTED_PROXY, head(DECLARED, '__proto__'))];
      await expectStillServing(target);
      const refused = await connectFrom(TRUSTED_PROXY, `${head(DECLARED, '__proto__')}{`);
      await expect.poll(() => refused.received(), { timeout: 20_000 }).toMatch(/^HTTP\/1\.1 429 /);
      expect(refused.received()).toContain('"rule":"bodyBytes"');
      expect(reading.map((connection) => connection.received())).toEqual(['', '']);
      for (const { socket } of [...reading, refused]) socket.destroy();
    } finally {
      proxy.close();
    }
    expect(target.alive(), target.output()).toBe(true);
    await expectStillServing(target);
  }, 60_000);
});
