import { createHash } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryDocumentCache } from '../../gateway/traffic/createMemoryDocumentCache.js';
import { createVerifiedDocumentCache } from '../../gateway/traffic/createVerifiedDocumentCache.js';
import { defaultLimits } from './fixtures/defaultLimits.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
// Apollo Server asks its APQ cache for `apq:<hash>`.
const keyOf = (document: string) => `apq:${sha256(document)}`;

function verified(limits = defaultLimits) {
  const store = createMemoryDocumentCache();
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
  return { store, warnings, cache: createVerifiedDocumentCache(store, limits, logger) };
}

describe('createVerifiedDocumentCache', () => {
  it('gives back a document stored under its own SHA-256', async () => {
    const { cache } = verified();
    const document = 'query A { __typename }';
    await cache.set(keyOf(document), document);
    expect(await cache.get(keyOf(document))).toBe(document);
  });

  it('treats a document stored under another hash as a miss, and says so', async () => {
    const { store, cache, warnings } = verified();
    await store.set(keyOf('query A { __typename }'), '{ topProducts(first: 2) { name upc } }');
    expect(await cache.get(keyOf('query A { __typename }'))).toBeUndefined();
    expect(warnings).toEqual(['APQ store: the document stored under this hash has another hash; treating it as a miss']);
  });

  it('treats a document over the limits as a miss, and reads its hash no more', async () => {
    const { store, cache, warnings } = verified({ ...defaultLimits, maxDocumentBytes: 100 });
    const large = `query Large { __typename }\n# ${'x'.repeat(200)}`;
    await store.set(keyOf(large), large);
    const read = vi.spyOn(store, 'get');
    expect(await cache.get(keyOf(large))).toBeUndefined();
    expect(await cache.get(keyOf(large))).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
    expect(warnings).toEqual(['APQ store: the document stored under this hash is over the document limits; treating it as a miss']);
  });

  it('looks up nothing under a key no document can be registered under', async () => {
    const { store, cache } = verified();
    await store.set('apq:not-a-hash', '{ __typename }');
    const read = vi.spyOn(store, 'get');
    for (const key of ['apq:not-a-hash', `apq:${sha256('{ __typename }').toUpperCase()}`, 'apq:__proto__']) expect(await cache.get(key)).toBeUndefined();
    expect(read).not.toHaveBeenCalled();
  });
});
