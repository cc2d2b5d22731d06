import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../cli/token/mintToken.js';
import { partsOf } from '../support/readMultipart.js';
import { expectRefused, expectStillServing, type Reply } from './support/expectRefused.js';
import { startTarget, targetJwtSecret, type Target } from './support/startTarget.js';

// @defer against a real gateway process: as many deferred fragments as a client likes (bounded
// by limits.maxDeferredFragments, fragment spreads counted each time), labels with any text,
// Accept headers of any shape, clients that hang up mid-stream, fields authorization removes
// from deferred fragments. Never a 500, the process stays up, and the next client is served.
let target: Target;

beforeAll(async () => {
  target = await startTarget({ mode: 'production' });
});
afterAll(() => target?.close());

interface Streamed {
  status: number;
  headers: Headers;
  raw: string;
  parts: Record<string, unknown>[];
}

async function deferred(
  body: Record<string, unknown>,
  accept = 'multipart/mixed;deferSpec=20220824,application/json',
  headers: Record<string, string> = {},
): Promise<Streamed> {
  const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', accept, ...headers }, body: JSON.stringify(body) });
  const raw = await response.text();
  const multipart = (response.headers.get('content-type') ?? '').startsWith('multipart/mixed');
  return { status: response.status, headers: response.headers, raw, parts: multipart ? partsOf(raw) : [JSON.parse(raw) as Record<string, unknown>] };
}

const asReply = (streamed: Streamed): Reply => ({ status: streamed.status, headers: streamed.headers, body: streamed.parts[0] as Reply['body'] });

type Item = { data: Record<string, unknown> | null; path: unknown[]; label?: string; errors?: { path: unknown[]; extensions: { code: string } }[] };

// Every incremental item of the parts after the first, in the order they came.
const itemsOf = (streamed: Streamed): Item[] => streamed.parts.slice(1).flatMap((part) => (part as { incremental?: Item[] }).incremental ?? []);

describe('@defer against a production gateway', () => {
  it('answers up to limits.maxDeferredFragments (16) deferred fragments in parts, and refuses more before planning', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.boolean(), async (count, nested) => {
        // Side by side, or each inside the previous one.
        const fragments = nested ? `${'... @defer { name '.repeat(count)}${'}'.repeat(count)}` : '... @defer { name } '.repeat(count);
        const reply = await deferred({ query: `{ product(upc: "1") { upc ${fragments} } }` });
        if (count > 16) {
          expectRefused(asReply(reply), ['MAX_DEFERRED_FRAGMENTS_EXCEEDED']);
          return;
        }
        expect(reply.status, reply.raw).toBe(200);
        expect(reply.parts[0]).toMatchObject({ data: { product: { upc: '1' } }, hasNext: true });
        expect(reply.parts.at(-1)).toMatchObject({ hasNext: false });
        expect(reply.parts.slice(0, -1).every((part) => part.hasNext === true)).toBe(true);
      }),
      { numRuns: 30 },
    );
    await expectStillServing(target);
  });

  it('counts a deferred fragment each time it is spread: one @defer written, seventeen deferred, refused', async () => {
    const spreads = Array.from({ length: 17 }, (_, index) => `p${index}: product(upc: "${(index % 5) + 1}") { ...Later }`).join(' ');
    const reply = await deferred({ query: `{ ${spreads} } fragment Later on Product { ... @defer { name } }` });
    expectRefused(asReply(reply), ['MAX_DEFERRED_FRAGMENTS_EXCEEDED', 'MAX_ALIASES_EXCEEDED']);
    expect(asReply(reply).body?.errors?.[0]?.extensions?.code).toBe('MAX_DEFERRED_FRAGMENTS_EXCEEDED');
    await expectStillServing(target);
  });

  it('echoes any label, `__proto__` and CRLF included, only inside the JSON of its part, never in a header', async () => {
    const hostile = fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'x\r\nset-cookie: a=b',
        '"}\r\n---\r\n{"hasNext":false}',
        '\u0000\u2028',
        'ä'.repeat(300),
      ),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (label) => {
        const reply = await deferred({ query: `{ product(upc: "2") { upc ... @defer(label: ${JSON.stringify(label)}) { name } } }` });
        expect(reply.status, reply.raw).toBe(200);
        expect(reply.parts).toHaveLength(2);
        const [item] = (reply.parts[1] as { incremental: { label?: string; data: unknown; path: unknown }[] }).incremental;
        // An empty label is no label (the planner drops it).
        expect(item).toEqual({ ...(label === '' ? {} : { label }), data: { name: expect.any(String) }, path: ['product'] });
        for (const [, value] of reply.headers) expect(value.includes(label) && label.length > 3).toBe(false);
        expect(reply.headers.get('set-cookie')).toBeNull();
      }),
      { numRuns: 60 },
    );
    await expectStillServing(target);
  });

  it('gives a label passed as a variable no label at all (labels are literals), not its syntax tree', async () => {
    const reply = await deferred({ query: 'query($l: String) { product(upc: "1") { upc ... @defer(label: $l) { name } } }', variables: { l: '__proto__' } });
    expect(reply.status, reply.raw).toBe(200);
    const [item] = (reply.parts.at(-1) as { incremental: Record<string, unknown>[] }).incremental;
    expect(Object.hasOwn(item!, 'label')).toBe(false);
    await expectStillServing(target);
  });

  it('puts a field removed from one of two unlabeled @defers at one path in that part only, its error once in the stream', async () => {
    const reply = await deferred({ query: '{ user(id: "1") { name ... @defer { email } ... @defer { reviews { id } } } }' });
    expect(reply.status, reply.raw).toBe(200);
    expect(reply.parts[0]).toEqual({ data: { user: { name: expect.any(String) } }, hasNext: true });
    const items = itemsOf(reply);
    expect(items, reply.raw).toHaveLength(2);
    const unauthenticated = { message: expect.stringContaining('User.email'), path: ['user', 'email'], extensions: { code: 'UNAUTHENTICATED' } };
    expect(items.find((item) => item.data && Object.hasOwn(item.data, 'email'))).toEqual({ data: { email: null }, path: ['user'], errors: [unauthenticated] });
    expect(items.find((item) => item.data && Object.hasOwn(item.data, 'reviews'))).toEqual({ data: { reviews: expect.any(Array) }, path: ['user'] });
    expect(reply.raw.match(/UNAUTHENTICATED/g), reply.raw).toHaveLength(1);
  });

  it('answers a caller refused a deferred field with the parts, labels and keys of one allowed it, but a null and one error', async () => {
    const reader = {
      authorization: `Bearer ${mintToken({ subject: '1', scopes: ['users:read-pii'], claims: {}, secret: targetJwtSecret, expiresInSeconds: 300 })}`,
    };
    // No label, or any: the same twice, empty, one like Portico's own, `__proto__`, long ones.
    const label = fc.option(
      fc.oneof(fc.constantFrom('same', '', 'portico__defer_0', 'portico__defer_1', '__proto__', 'ä'.repeat(300)), fc.string({ maxLength: 20 })),
    );
    const directive = (text: string | null) => (text === null ? '@defer' : `@defer(label: ${JSON.stringify(text)})`);
    await fc.assert(
      fc.asyncProperty(label, label, async (first, second) => {
        const query = `{ user(id: "1") { name ... ${directive(first)} { email } ... ${directive(second)} { reviews { id } } } }`;
        const [allowed, refused] = await Promise.all([deferred({ query }, undefined, reader), deferred({ query })]);
        expect(allowed.status, allowed.raw).toBe(200);
        expect(refused.status, refused.raw).toBe(200);
        // The same items, keys in the same order, once the email is nulled and the error taken out
        // (within `data`, a removed field's null comes last, as in any answer authorization patches).
        const asAllowed = (item: Item) => ({
          keys: Object.keys(item),
          item: JSON.parse(JSON.stringify(item, (key, value) => (key === 'email' ? null : value))),
        });
        const asRefused = ({ errors: _, ...item }: Item) => ({ keys: Object.keys(item), item });
        const byPlace = (a: { item: Item }, b: { item: Item }) =>
          JSON.stringify(Object.keys(a.item.data ?? {}).sort()).localeCompare(JSON.stringify(Object.keys(b.item.data ?? {}).sort()));
        expect(itemsOf(refused).map(asRefused).sort(byPlace)).toEqual(itemsOf(allowed).map(asAllowed).sort(byPlace));
        const errors = itemsOf(refused).flatMap((item) => (item.errors ?? []).map((error) => ({ item, error })));
        expect(errors.map(({ error }) => [error.path, error.extensions.code])).toEqual([[['user', 'email'], 'UNAUTHENTICATED']]);
        expect(errors[0]!.item.data).toHaveProperty('email', null);
        expect(itemsOf(allowed).flatMap((item) => item.errors ?? [])).toEqual([]);
      }),
      {
        numRuns: 30,
        examples: [
          [null, null],
          ['same', 'same'],
          ['', ''],
          ['portico__defer_1', 'portico__defer_0'],
          [null, 'portico__defer_0'],
        ],
      },
    );
    await expectStillServing(target);
  });

  it('answers any Accept header without a 500: multipart only for multipart/mixed in the deferSpec it speaks', async () => {
    const accept = fc.oneof(
      fc.constantFrom(
        'multipart/mixed',
        'multipart/mixed;deferSpec=20220824',
        'multipart/mixed; deferSpec="20220824"; q=0',
        'multipart/mixed;deferSpec=20990101',
        'multipart/mixed;subscriptionSpec=1.0',
        'MULTIPART/MIXED;DEFERSPEC=20220824, application/json',
        ';;;,,,multipart/mixed;=;deferSpec',
      ),
      fc.string({ maxLength: 200 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')),
    );
    await fc.assert(
      fc.asyncProperty(accept, async (value) => {
        const reply = await deferred({ query: '{ product(upc: "3") { upc ... @defer { name } } }' }, value);
        expect(reply.status, reply.raw).toBeLessThan(500);
        if (reply.headers.get('content-type')?.startsWith('multipart/mixed')) {
          expect(reply.parts.at(-1)).toMatchObject({ hasNext: false });
        } else if (reply.status === 200) {
          // Merged into one answer, as without @defer.
          expect(reply.parts[0]).toEqual({ data: { product: { upc: '3', name: expect.any(String) } } });
        } else {
          expectRefused(asReply(reply));
        }
      }),
      { numRuns: 60 },
    );
    await expectStillServing(target);
  });

  it('survives clients that hang up mid-stream, again and again', async () => {
    const query = '{ topProducts(first: 20) { upc ... @defer { name reviews { body ... @defer { author { name } } } } } }';
    for (let round = 0; round < 25; round += 1) {
      await new Promise<void>((resolve) => {
        const body = JSON.stringify({ query });
        const req = request(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'multipart/mixed;deferSpec=20220824', 'content-length': Buffer.byteLength(body) },
        });
        req.on('response', (res) => {
          // Gone after the first bytes: in the middle of the first payload or of the parts.
          res.once('data', () => {
            req.destroy();
            resolve();
          });
          res.on('error', () => resolve());
        });
        req.on('error', () => resolve());
        req.end(body);
      });
    }
    expect(target.alive(), target.output()).toBe(true);
    await expectStillServing(target);
    // And a client that stays gets everything.
    const whole = await deferred({ query });
    expect(whole.status, whole.raw).toBe(200);
    expect(whole.parts.at(-1)).toMatchObject({ hasNext: false });
    expect(target.output()).not.toMatch(/unhandled|TypeError|RangeError/i);
  });
});
