import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { benchQuery } from '../../bench/benchQuery.js';
import { measureDocument } from '../../gateway/traffic/measureDocument.js';

const measure = (source: string) => measureDocument(parse(source, { noLocation: true }));

describe('measureDocument', () => {
  it('counts fields, aliases and depth of a plain operation', () => {
    expect(measure('{ a: topProducts { upc reviews { body } } me { id } }')).toEqual({
      depth: 3,
      aliases: 1,
      rootFields: 2,
      directives: 0,
      expandedFields: 6,
      deferredFragments: 0,
    });
  });

  it('counts @defer fragments each time their fragment is spread', () => {
    const source = '{ a: topProducts { ...P ...P @defer ... @defer { name } } } fragment P on Product { upc ... @defer { price } }';
    // Two spreads of P with one @defer inside each, one deferred spread, one deferred inline fragment.
    expect(measure(source).deferredFragments).toBe(4);
  });

  it('counts a fragment each time it is spread, inline fragments as their fields', () => {
    const source = '{ topProducts { ...P ...P ... on Product { name } } } fragment P on Product { upc price }';
    expect(measure(source)).toMatchObject({ expandedFields: 6, depth: 2 });
  });

  it('takes the operation with the most fields, not their sum', () => {
    expect(measure('query A { a b c } query B { a }')).toMatchObject({ expandedFields: 3, rootFields: 3 });
  });

  it('measures a fragment bomb in linear time: 2 ** 60 fields without walking them', () => {
    const fragments = Array.from({ length: 60 }, (_, i) => `fragment F${i + 1} on Product { ...F${i} ...F${i} }`).join(' ');
    expect(measure(`{ topProducts { ...F60 } } fragment F0 on Product { upc } ${fragments}`)).toMatchObject({
      expandedFields: 2 ** 60 + 1,
      depth: 2,
      aliases: 0,
      rootFields: 1,
    });
  });

  it('ends at a fragment cycle (validation reports it) and ignores unknown fragments', () => {
    expect(measure('{ a ...A ...Missing } fragment A on Query { b ...B } fragment B on Query { c ...A }')).toMatchObject({ expandedFields: 3 });
  });

  it('gives the benchmark query 55 fields, well inside the default limits.maxExpandedFields (2000)', () => {
    expect(measure(benchQuery)).toMatchObject({ expandedFields: 55, depth: 8 });
  });
});
