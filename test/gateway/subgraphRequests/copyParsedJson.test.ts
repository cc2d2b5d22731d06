import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyParsedJson } from '../../../gateway/subgraphRequests/copyParsedJson.js';

/** Every object and array in `value`, depth first. */
function containersOf(value: unknown, into: object[] = []): object[] {
  if (typeof value !== 'object' || value === null) return into;
  into.push(value);
  for (const child of Object.values(value)) containersOf(child, into);
  return into;
}

// JSON text with keys a client or a subgraph could choose, prototype names among them.
const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__typename'));
const jsonText = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
      fc.array(tie('value')),
      fc.dictionary(key, tie('value')),
    ),
  }))
  .value.map((value) => JSON.stringify(value));

describe('copyParsedJson', () => {
  it('copies what JSON.parse made: equal text, no object or array shared, prototype names as own keys', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const parsed: unknown = JSON.parse(text);
        const copy = copyParsedJson(parsed);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
        const originals = new Set(containersOf(parsed));
        for (const container of containersOf(copy)) {
          expect(originals.has(container)).toBe(false);
          if (!Array.isArray(container)) expect(Object.getPrototypeOf(container)).toBe(Object.prototype);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a `__proto__` key as the copy's own field, never its prototype", () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":[{"__proto__":null}]}') as Record<string, unknown>;
    const copy = copyParsedJson(parsed);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":[{"__proto__":null}]}');
  });

  it('leaves out what is set on Object.prototype', () => {
    const parsed = JSON.parse('{"a":1}') as Record<string, unknown>;
    Object.defineProperty(Object.prototype, 'inherited', { value: 1, enumerable: true, writable: true, configurable: true });
    try {
      expect(Object.keys(copyParsedJson(parsed))).toEqual(['a']);
    } finally {
      delete (Object.prototype as { inherited?: unknown }).inherited;
    }
  });
});
