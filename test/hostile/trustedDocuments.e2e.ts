import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, postRaw, type Reply } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

// A production gateway in `require` mode with the web client's manifest (as deploy/gateway.yaml
// runs it), against clients that send anything but the app's operations: any document, ids that
// are not the document's hash (prototype names among them), a listed id beside another text,
// listed operations with hostile variables. Each gets a 4xx with a code (or, for an id nobody
// listed, APQ's PERSISTED_QUERY_NOT_FOUND with no data, which is what the protocol answers), the
// process stays up, and the app's own operation still runs by id.

const manifestFile = resolve('web/src/generated/persisted-documents.json');
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const idOf = (operation: string) => Object.entries(manifest).find(([, body]) => new RegExp(`\\b(query|mutation) ${operation}\\b`).test(body))![0];
const byId = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });
// Parse and validation failures are 400s (not 200s) for a client that accepts the GraphQL media type.
const strict = { accept: 'application/graphql-response+json' };
const prototypeNames = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

let target: Target;
beforeAll(async () => {
  target = await startTarget({ mode: 'production', config: { trustedDocuments: { mode: 'require', manifest: manifestFile } } });
}, 120_000);
afterAll(async () => {
  await target?.close();
});

/** The app's own operation, by id alone, still answers. */
async function expectAppServed(): Promise<void> {
  expect(target.alive(), target.output()).toBe(true);
  const reply = await postRaw(target, { operationName: 'TopProducts', variables: { first: 1 }, extensions: byId(idOf('TopProducts')) });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body?.errors, JSON.stringify(reply.body)).toBeUndefined();
  expect((reply.body?.data as { topProducts: unknown[] }).topProducts).toHaveLength(1);
}

describe('trusted documents in require mode, against a real production gateway', () => {
  it('refuses any document that is not listed, with a code', async () => {
    const documents = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(...prototypeNames).map((name) => `query ${name} { topProducts(first: 1) { upc } }`),
      // A listed document, slightly changed: the bytes are what is trusted.
      fc.constantFrom(...Object.values(manifest)).map((body) => `${body} `),
      fc.constantFrom(...Object.values(manifest)).map((body) => body.replace('__typename', '__typename __typename')),
    );
    await fc.assert(
      fc.asyncProperty(documents, async (query) => {
        expectRefused(await postRaw(target, { query }, strict));
      }),
      { numRuns: 60 },
    );
    await expectAppServed();
  });

  it('refuses an id beside a document it is not the hash of', async () => {
    const ids = fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.constantFrom(...prototypeNames, ...Object.keys(manifest)), fc.string({ maxLength: 80 }));
    await fc.assert(
      fc.asyncProperty(ids, fc.constantFrom(...Object.values(manifest)), async (id, body) => {
        fc.pre(id !== sha256(body));
        expectRefused(await postRaw(target, { query: body, extensions: byId(id) }, strict));
      }),
      { numRuns: 40 },
    );
    await expectAppServed();
  });

  it('runs nothing for an id nobody listed, and never learns one', async () => {
    const ids = fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.constantFrom(...prototypeNames));
    await fc.assert(
      fc.asyncProperty(ids, async (id) => {
        fc.pre(!Object.hasOwn(manifest, id));
        const reply: Reply = await postRaw(target, { extensions: byId(id) }, strict);
        expect(reply.status).toBeLessThan(500);
        expect(reply.body?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
        expect(reply.body?.data).toBeUndefined();
      }),
      { numRuns: 40 },
    );
    // An unlisted document sent with its own hash is refused, and so is not registered as an APQ.
    const unlisted = 'query Unlisted { topProducts(first: 1) { upc } }';
    expectRefused(await postRaw(target, { query: unlisted, extensions: byId(sha256(unlisted)) }, strict), ['PERSISTED_QUERY_NOT_ALLOWED']);
    expect((await postRaw(target, { extensions: byId(sha256(unlisted)) }, strict)).body?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await expectAppServed();
  });

  it('answers a listed operation with hostile variables with a code, not a 500', async () => {
    const variables = fc.oneof(
      fc.record({ first: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double()) }),
      fc.dictionary(fc.constantFrom(...prototypeNames, 'first', 'upc'), fc.jsonValue(), { maxKeys: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('TopProducts', 'Product'), variables, async (operation, values) => {
        const reply = await postRaw(target, { operationName: operation, variables: values, extensions: byId(idOf(operation)) }, strict);
        expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(500);
        if (reply.status >= 400) expectRefused(reply);
        else expect(JSON.stringify(reply.body)).not.toMatch(/\n\s+at |stacktrace/);
      }),
      { numRuns: 50 },
    );
    await expectAppServed();
  });
});
