import { describe, expect, it } from 'vitest';
import { acceptsMultipartDefer } from '../../../common/http/acceptsMultipartDefer.js';

describe('acceptsMultipartDefer', () => {
  it.each([
    ['multipart/mixed;deferSpec=20220824,application/json', true],
    ['multipart/mixed; deferSpec="20220824"', true],
    ['multipart/mixed, application/graphql-response+json, application/json', true],
    ['application/json, MULTIPART/MIXED;DEFERSPEC=20220824', true],
  ])('reads %s as incremental delivery', (accept, expected) => expect(acceptsMultipartDefer(accept)).toBe(expected));

  it.each([
    [undefined],
    [''],
    ['application/json'],
    ['multipart/mixed;deferSpec=20220824;q=0'],
    ['multipart/mixed;subscriptionSpec="1.0",application/json'],
    ['multipart/mixed;deferSpec=20990101'],
    ['multipart/mixedx;deferSpec=20220824'],
  ])('does not read %s as incremental delivery', (accept) => expect(acceptsMultipartDefer(accept)).toBe(false));
});
