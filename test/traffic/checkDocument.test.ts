import { describe, expect, it } from 'vitest';
import type { LimitsConfig } from '../../gateway/config/TrafficConfig.js';
import { checkDocument } from '../../gateway/traffic/checkDocument.js';
import { defaultLimits as defaults } from './fixtures/defaultLimits.js';
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

  it('stops parsing past maxTokens, reporting the least the document can have as a number', () => {
    expect(checkDocument(aliases(10_000), { ...loose, maxTokens: 5_000 })).toEqual({
      code: 'MAX_TOKENS_EXCEEDED',
      limit: 'limits.maxTokens',
      measured: 5_001,
      allowed: 5_000,
      message: 'The document has more than 5000 tokens; the gateway allows at most 5000 (limits.maxTokens)',
    });
  });

  it('counts fields with fragments expanded, before validation, and refuses a fragment bomb by that count', () => {
    // 20 levels of fragments, each spreading the one below twice, below a root field: no aliases,
    // shallow, one root field, yet 2 ** 20 fields to validate, plan and authorize.
    const fragments = Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Product { ...F${i} ...F${i} }`).join(' ');
    const bomb = `{ topProducts { ...F20 } } fragment F0 on Product { upc } ${fragments}`;
    expect(checkDocument(bomb, defaults)).toEqual({
      code: 'MAX_EXPANDED_FIELDS_EXCEEDED',
      limit: 'limits.maxExpandedFields',
      measured: 2 ** 20 + 1,
      allowed: 2_000,
      message: 'The operation has 1048577 fields once fragments are expanded; the gateway allows at most 2000 (limits.maxExpandedFields)',
    });
  });

  it('reports a count past what JSON carries exactly as Number.MAX_SAFE_INTEGER, never Infinity (null in JSON)', () => {
    const fragments = Array.from({ length: 1100 }, (_, i) => `fragment F${i + 1} on Product { ...F${i} ...F${i} }`).join(' ');
    const breach = checkDocument(`{ topProducts { ...F1100 } } fragment F0 on Product { upc } ${fragments}`, loose);
    expect(breach).toMatchObject({ code: 'MAX_EXPANDED_FIELDS_EXCEEDED', measured: Number.MAX_SAFE_INTEGER });
    expect(JSON.parse(JSON.stringify(breach)).measured).toBe(Number.MAX_SAFE_INTEGER);
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
