import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJson } from '../../../common/http/scanJson.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** The nesting depth of a parsed value, measured the slow, recursive way. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

// Strings full of what could fool a scanner: brackets, quotes, backslashes, escapes, non-ASCII.
const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ',', ':', 'variables', '\u00e9', '\u{1F600}', '\n', 'a', ' ') });
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    // -0 is written as 0: no JSON text keeps it.
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(tricky, fc.constant('variables')), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const indent = fc.constantFrom(undefined, 0, 2, '\t');

describe('scanJson', () => {
  it('measures any JSON value exactly as the recursive parse does, whatever its strings hold', () => {
    fc.assert(
      fc.property(json, indent, (value, space) => {
        const text = JSON.stringify(value, null, space);
        const scan = scanJson(bytes(text), 1000);
        expect(scan.depth).toBe(depthOf(value));
        // Measuring changes nothing: the text still parses to the same value.
        expect(JSON.parse(text)).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('measures the variables of a request body (or of each operation of a batch) in bytes as sent', () => {
    fc.assert(
      fc.property(json, json, fc.boolean(), (variables, extensions, batch) => {
        const operation = { query: '{ a }', variables, extensions };
        const text = JSON.stringify(batch ? [{ query: '{ b }' }, operation] : operation);
        expect(scanJson(bytes(text), 1000).variablesBytes).toBe(Buffer.byteLength(JSON.stringify(variables)));
      }),
      { numRuns: 300 },
    );
  });

  it('finds variables whose name is written with escapes, as JSON.parse reads it', () => {
    const text = '{"query":"{ a }","\\u0076ariables":{"v":"12345"}}';
    expect(Object.keys(JSON.parse(text) as object)).toContain('variables');
    expect(scanJson(bytes(text), 32).variablesBytes).toBe('{"v":"12345"}'.length);
  });

  it('counts only the variables of operations, not a "variables" key nested deeper', () => {
    const text = JSON.stringify({ query: '{ a }', extensions: { variables: 'x'.repeat(100) }, variables: { a: 1 } });
    expect(scanJson(bytes(text), 32).variablesBytes).toBe(JSON.stringify({ a: 1 }).length);
  });

  it('refuses nesting past the limit at the first container past it, without reading further', () => {
    const deep = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
    expect(scanJson(bytes(deep), 32).depth).toBe(33);
    expect(scanJson(bytes(`{"variables":{"v":${deep}}}`), 32).depth).toBe(33);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), (nesting, limit) => {
        const text = `${'[{"a":'.repeat(nesting)}1${'}]'.repeat(nesting)}`;
        const scan = scanJson(bytes(text), limit);
        if (2 * nesting <= limit) expect(scan.depth).toBe(2 * nesting);
        else expect(scan.depth).toBe(limit + 1);
      }),
    );
  });

  it('is not fooled by brackets inside strings, nor by escaped quotes', () => {
    expect(scanJson(bytes(JSON.stringify({ s: '[[[[{{{{' })), 2).depth).toBe(1);
    expect(scanJson(bytes(JSON.stringify({ s: '\\"[[[[', t: '"]]]' })), 2).depth).toBe(1);
    expect(scanJson(bytes('["\\\\", [[1]]]'), 3).depth).toBe(3);
  });

  it('gives some measure, never an exception or a hang, for text that is not JSON', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (garbage, limit) => {
        const scan = scanJson(garbage, limit);
        expect(scan.depth).toBeLessThanOrEqual(limit + 1);
        expect(scan.variablesBytes).toBeLessThanOrEqual(garbage.length + 1);
      }),
      { numRuns: 500 },
    );
    for (const text of ['"', '{"variables":', '{"variables": [1, 2', '\\', '{"a":"\\']) expect(() => scanJson(bytes(text), 8)).not.toThrow();
  });
});
