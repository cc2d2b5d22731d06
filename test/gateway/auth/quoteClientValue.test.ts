import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteClientValue } from '../../../gateway/auth/quoteClientValue.js';

describe('quoteClientValue', () => {
  it('quotes a plain value as it is', () => {
    expect(quoteClientValue('HS512')).toBe('"HS512"');
  });

  it('escapes quotes, backslashes, controls and non-ASCII as JSON does', () => {
    expect(quoteClientValue('HS256\r\nX-Injected: 1')).toBe('"HS256\\u000d\\u000aX-Injected: 1"');
    expect(quoteClientValue('a"b\\c\u2028\u0100\0')).toBe('"a\\"b\\\\c\\u2028\\u0100\\u0000"');
  });

  it('shows other JSON values as JSON, and never throws on them', () => {
    expect(quoteClientValue(null)).toBe('"null"');
    expect(quoteClientValue(undefined)).toBe('"undefined"');
    expect(quoteClientValue({ toString: 'x' })).toBe('"{\\"toString\\":\\"x\\"}"');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(() => quoteClientValue(deep)).not.toThrow();
  });

  it('is bounded, and only printable ASCII, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 500 }), fc.jsonValue()), (value) => {
        const quoted = quoteClientValue(value);
        expect(quoted).toMatch(/^[\x20-\x7e]*$/);
        expect(quoted.length).toBeLessThanOrEqual(2 + 64 * 6 + 3);
      }),
      { numRuns: 300 },
    );
  });
});
