import { describe, expect, it } from 'vitest';
import { SharedAnswer } from '../../../gateway/subgraphRequests/SharedAnswer.js';

const text =
  '{"data":{"topProducts":[{"upc":"1","reviews":[{"id":"r1"}]},{"upc":"2","reviews":[]}]},"errors":[{"message":"partial","path":["topProducts",1]}]}';

describe('SharedAnswer', () => {
  it('gives each caller an answer of its own: changing one changes no other, whatever the order', () => {
    const answer = new SharedAnswer(text, 'products');
    answer.shareAmong(3);
    const first = answer.take();
    // The first caller merges into its answer before the others take theirs.
    const products = first.data!.topProducts as { upc: string; reviews: { id: string; body?: string }[] }[];
    products[0]!.reviews[0]!.body = 'merged';
    products[0]!.upc = 'changed';
    (first.errors![0]!.path as (string | number)[]).push('extra');
    const second = answer.take();
    const third = answer.take();
    expect(JSON.parse(JSON.stringify(second))).toEqual(JSON.parse(text));
    expect(JSON.parse(JSON.stringify(third))).toEqual(JSON.parse(text));
    expect(second.data).not.toBe(third.data);
    expect(second.errors).not.toBe(third.errors);
    expect((second.data!.topProducts as unknown[])[0]).not.toBe((third.data!.topProducts as unknown[])[0]);
  });

  it('is parsed once: an answer nobody shares is the parse itself', () => {
    const alone = new SharedAnswer(text, 'products');
    const taken = alone.take();
    expect(taken).toEqual(JSON.parse(text));
  });

  it('gives every caller the coded error of a body that is no GraphQL answer', () => {
    const answer = new SharedAnswer('<html>', 'products');
    answer.shareAmong(2);
    for (let caller = 0; caller < 2; caller += 1) {
      expect(() => answer.take()).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_ERROR', serviceName: 'products' }) }),
      );
    }
  });
});
