import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHeaderValue } from '../../../common/http/toHeaderValue.js';

// Any text a client could get into a value: full Unicode (lone surrogates too), controls, long.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('\r', '\n', '\0', '\t', '\u2028', '\u0100', '\u00ff', '"', '\\', 'a', ' ', '\ud800'), maxLength: 50 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1000, maxLength: 5000 }),
);

describe('toHeaderValue', () => {
  it('makes any text a value Node accepts, of visible ASCII and single spaces, within the bound', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 3, max: 2000 }), (text, maxLength) => {
        const value = toHeaderValue(text, { maxLength });
        expect(() => validateHeaderValue('x-test', value)).not.toThrow();
        expect(value).toMatch(/^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/);
        expect(value.length).toBeLessThanOrEqual(maxLength);
      }),
      { numRuns: 500 },
    );
  });

  it('in quoted mode, keeps to what RFC 6750 allows in error_description (%x20-21 / %x23-5B / %x5D-7E)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(toHeaderValue(text, { quoted: true })).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a valid value as it is', () => {
    for (const value of ['GET, POST, OPTIONS', 'multipart/mixed; boundary="-"; deferSpec=20220824', 'Bearer realm="portico"', '']) {
      expect(toHeaderValue(value)).toBe(value);
    }
  });

  it('gives back a value it made unchanged, in either mode and at any bound', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 3, max: 2000 }), fc.boolean(), (text, maxLength, quoted) => {
        const once = toHeaderValue(text, { maxLength, quoted });
        expect(toHeaderValue(once, { maxLength, quoted })).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('cannot start a header line: CR/LF become a space, other characters outside ASCII a "?"', () => {
    expect(toHeaderValue('HS256\r\nX-Injected: 1')).toBe('HS256 X-Injected: 1');
    expect(toHeaderValue('a\u0100b\u2028c\0d')).toBe('a?b?c?d');
    expect(toHeaderValue('say "hi" \\o/', { quoted: true })).toBe("say 'hi' 'o/");
  });

  it('cuts long text, with a mark that it was cut', () => {
    expect(toHeaderValue('x'.repeat(100), { maxLength: 10 })).toBe('xxxxxxx...');
    expect(toHeaderValue('x'.repeat(1_000_000))).toHaveLength(1024);
  });
});
