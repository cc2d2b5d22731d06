import { describe, expect, it } from 'vitest';
import { parseSubgraphAnswer } from '../../../gateway/subgraphRequests/parseSubgraphAnswer.js';

describe('parseSubgraphAnswer', () => {
  it('reads a GraphQL response, a fresh object each time', () => {
    const raw = '{"data":{"a":1},"errors":[{"message":"m"}]}';
    const first = parseSubgraphAnswer(raw, 'products');
    expect(first).toEqual({ data: { a: 1 }, errors: [{ message: 'm' }] });
    expect(parseSubgraphAnswer(raw, 'products')).not.toBe(first);
  });

  it.each([
    ['not JSON', '<html>'],
    ['an array', '[]'],
    ['a string', '"x"'],
    ['null', 'null'],
  ])('refuses a body that is %s as SUBGRAPH_ERROR naming the subgraph', (_what, raw) => {
    expect(() => parseSubgraphAnswer(raw, 'products')).toThrow(
      expect.objectContaining({
        message: 'Subgraph "products" did not send a valid GraphQL response',
        extensions: { code: 'SUBGRAPH_ERROR', serviceName: 'products' },
      }),
    );
  });
});
