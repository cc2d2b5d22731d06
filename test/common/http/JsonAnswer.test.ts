import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonAnswer, stringifyAnswer } from '../../../common/http/JsonAnswer.js';

describe('JsonAnswer', () => {
  it("is the text of stringifyAnswer, and its bytes are that text's UTF-8 bytes, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string({ unit: 'binary', maxLength: 40 }), (value, text) => {
        // Any text: multi-byte characters, and lone surrogates (which JSON.stringify escapes).
        const answer = { data: { value, text } };
        const expected = stringifyAnswer(answer);
        const json = new JsonAnswer(JSON.stringify(answer));
        expect(json.string).toBe(expected);
        expect(json.bytes().equals(Buffer.from(expected, 'utf8'))).toBe(true);
      }),
    );
  });

  it('is JSON and one line feed, as Apollo Server writes', () => {
    expect(stringifyAnswer({ data: { a: 'é' } })).toBe('{"data":{"a":"é"}}\n');
    const bytes = new JsonAnswer('{"data":{"a":"é"}}').bytes();
    expect([...bytes.subarray(-6)]).toEqual([0xc3, 0xa9, 0x22, 0x7d, 0x7d, 0x0a]);
    expect(bytes).toHaveLength(20);
  });
});
