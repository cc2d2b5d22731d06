import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonWithinLimit } from '../../../common/http/readJsonWithinLimit.js';
import { utf8Text } from '../../../common/http/utf8Text.js';
import { readCappedText } from '../../../subgraphs/kit/rest/readCappedText.js';

const bom = Buffer.from([0xef, 0xbb, 0xbf]);
const withBom = (text: string) => Buffer.concat([bom, Buffer.from(text)]);

describe('utf8Text', () => {
  it('reads UTF-8 as fetch does: a leading byte order mark dropped, any other kept', () => {
    expect(utf8Text(withBom('{"a":"é"}'))).toBe('{"a":"é"}');
    expect(utf8Text(Buffer.from('{"a":"\uFEFF"}'))).toBe('{"a":"\uFEFF"}');
    expect(utf8Text(Buffer.alloc(0))).toBe('');
    expect(utf8Text(bom)).toBe('');
  });

  it('is what the bounded readers read: an answer with a byte order mark parses, as with fetch', async () => {
    expect(await readJsonWithinLimit(new Response(withBom('{"data":{"__typename":"Query"}}')), 1024)).toEqual({ json: { data: { __typename: 'Query' } } });
    expect(await new Response(withBom('{"ok":1}')).json()).toEqual({ ok: 1 });
    expect(await readCappedText(Readable.from([withBom('{"users":[]}')]), undefined, 1024)).toBe('{"users":[]}');
  });
});
