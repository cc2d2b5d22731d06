import { describe, expect, it } from 'vitest';
import { createRepresentationIndex } from '../../../gateway/execution/createRepresentationIndex.js';

describe('createRepresentationIndex', () => {
  it('gives equal representations one index, and tells apart values of different types and fields of different names', () => {
    const index = createRepresentationIndex();
    expect(index.add({ __typename: 'User', id: '1' })).toBe(0);
    expect(index.add({ __typename: 'User', id: '2' })).toBe(1);
    expect(index.add({ __typename: 'User', id: '1' })).toBe(0);
    expect(index.add({ __typename: 'User', id: 1 })).toBe(2);
    expect(index.add({ __typename: 'User', upc: '1' })).toBe(3);
    expect(index.add({ __typename: 'User', id: '1', extra: true })).toBe(4);
    expect(index.representations).toHaveLength(5);
  });

  it('finds a representation whatever child of the trie holds it: the first (kept inline) or a later one (in a map)', () => {
    const index = createRepresentationIndex();
    const values = ['1', '2', null, Number.NaN, 3, true, '3'];
    values.forEach((id, position) => expect(index.add({ __typename: 'User', id })).toBe(position));
    [...values].reverse().forEach((id, position) => expect(index.add({ __typename: 'User', id })).toBe(values.length - 1 - position));
    expect(index.add({ __typename: 'Product', id: '1' })).toBe(values.length);
    expect(index.add({ __typename: 'User', id: '1' })).toBe(0);
  });

  it('compares object values by their JSON, never equal to a string holding that JSON', () => {
    const index = createRepresentationIndex();
    expect(index.add({ __typename: 'Box', size: { w: 1, h: 2 } })).toBe(0);
    expect(index.add({ __typename: 'Box', size: { w: 1, h: 2 } })).toBe(0);
    expect(index.add({ __typename: 'Box', size: '{"w":1,"h":2}' })).toBe(1);
  });

  it('builds a representation from fields once per distinct set of values, and remembers a refusal', () => {
    const index = createRepresentationIndex();
    const fields = ['__typename', 'upc'];
    let built = 0;
    const build = (source: Record<string, unknown>) => {
      built += 1;
      return source.upc === 'bad' ? null : { __typename: source.__typename, upc: source.upc };
    };
    const entities = [
      { __typename: 'Product', upc: '1', name: 'a' },
      { __typename: 'Product', upc: '2' },
      { __typename: 'Product', upc: '1', name: 'b' },
      { __typename: 'Product', upc: 'bad' },
      { __typename: 'Product', upc: 'bad' },
      { __typename: 'Product' },
    ];
    expect(entities.map((entity) => index.addFields(entity, fields, build))).toEqual([0, 1, 0, -1, -1, -1]);
    expect(built).toBe(3);
    expect(index.representations).toEqual([
      { __typename: 'Product', upc: '1' },
      { __typename: 'Product', upc: '2' },
    ]);
  });
});
