import { describe, expect, it } from 'vitest';
import type { LimitsConfig } from '../../gateway/config/TrafficConfig.js';
import { trafficConfigSchema } from '../../gateway/config/trafficConfigSchema.js';
import { checkDocument } from '../../gateway/traffic/checkDocument.js';

// The shipped defaults, read from the config schema so that these tests follow them.
const defaults = Object.fromEntries(
  Object.entries(trafficConfigSchema.limits?.properties ?? {}).map(([key, node]) => [key, node.default]),
) as unknown as LimitsConfig;
// Limits so loose that only the one under test can trip.
const loose: LimitsConfig = { ...defaults, maxDocumentBytes: 10_000_000, maxTokens: 1_000_000 };

const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;

describe('checkDocument', () => {
  it('starts from the documented defaults', () => {
    expect(defaults).toMatchObject({ maxDepth: 15, maxAliases: 30, maxTokens: 5_000, maxDocumentBytes: 32_768 });
  });

  it('accepts an ordinary operation and leaves syntax errors to Apollo Server', () => {
    expect(checkDocument('query Shop { topProducts(first: 5) { upc name reviews { body } } }', defaults)).toBeNull();
    expect(checkDocument('{ topProducts { ', defaults)).toBeNull();
  });

  it('measures 10,000 aliases once the byte and token limits allow the document', () => {
    expect(checkDocument(aliases(10_000), loose)).toMatchObject({ code: 'MAX_ALIASES_EXCEEDED', measured: 10_000, allowed: 30 });
  });

  it('stops parsing past maxTokens', () => {
    expect(checkDocument(aliases(10_000), { ...loose, maxTokens: 5_000 })).toMatchObject({
      code: 'MAX_TOKENS_EXCEEDED',
      limit: 'limits.maxTokens',
      measured: 'more than 5000',
    });
  });

  it('counts bytes in UTF-8', () => {
    const query = `{ __typename } # ${'é'.repeat(20)}`;
    expect(checkDocument(query, { ...defaults, maxDocumentBytes: 50 })).toMatchObject({
      code: 'MAX_DOCUMENT_BYTES_EXCEEDED',
      measured: Buffer.byteLength(query),
      allowed: 50,
    });
  });

  it('expands fragments for depth and aliases, counting a fragment each time it is spread', () => {
    const query = '{ ...F ...F } fragment F on Query { x: topProducts { y: reviews { z: body } } }';
    expect(checkDocument(query, { ...defaults, maxDepth: 2 })).toMatchObject({ code: 'MAX_DEPTH_EXCEEDED', measured: 3 });
    expect(checkDocument(query, { ...defaults, maxAliases: 5 })).toMatchObject({ code: 'MAX_ALIASES_EXCEEDED', measured: 6 });
  });

  it('measures a fragment bomb without expanding it', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
    const query = `{ ...F40 } fragment F0 on Query { a: __typename } ${fragments}`;
    expect(checkDocument(query, loose)).toMatchObject({ code: 'MAX_ALIASES_EXCEEDED', measured: 2 ** 40 });
  });

  it('ends at a fragment cycle instead of looping (validation reports the cycle)', () => {
    expect(checkDocument('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }', defaults)).toBeNull();
  });

  it('limits root fields and directives', () => {
    const roots = `{ ${Array.from({ length: 21 }, (_, i) => `f${i}: __typename`).join(' ')} }`;
    expect(checkDocument(roots, { ...defaults, maxAliases: 100 })).toMatchObject({ code: 'MAX_ROOT_FIELDS_EXCEEDED', measured: 21, allowed: 20 });
    const directives = `{ __typename ${'@skip(if: false) '.repeat(51)}}`;
    expect(checkDocument(directives, defaults)).toMatchObject({ code: 'MAX_DIRECTIVES_EXCEEDED', measured: 51, allowed: 50 });
  });

  it('refuses introspection nested more than three lists deep', () => {
    expect(checkDocument('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }', defaults)).toMatchObject({
      code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED',
    });
    expect(checkDocument('{ __schema { types { name fields { name type { name ofType { name } } } } } }', defaults)).toBeNull();
  });
});
