import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { blankLiterals } from '../../../gateway/pipeline/operationRecording/blankLiterals.js';

const schema = buildSchema(`
  scalar Email
  enum Sort { NEWEST OLDEST }
  input Filter { min: Float, sort: Sort, tags: [String!] }
  type Product { upc: ID! reviews(first: Int, sort: Sort): [Int] }
  type Query {
    product(upc: ID!): Product
    byName(name: String!, email: Email, filter: Filter, exact: Boolean): [Product]
  }
`);

describe('blankLiterals', () => {
  it('blanks strings and numbers, keeps enum values, booleans, null, variables and directives', () => {
    // One line: print puts the arguments of a long field on lines of their own.
    const blanked = blankLiterals(
      parse(`query Lookup($sort: Sort) {
        product(upc: "PII-alice@example.com") { upc reviews(first: 5, sort: $sort) }
        byName(name: """a block""", email: "bob@example.com", filter: { min: 4.5, sort: NEWEST, tags: ["x", "y"] }, exact: true) @include(if: false) { upc }
        again: byName(name: "x", email: null) { upc }
      }`),
    ).replace(/\s+/g, ' ');
    expect(blanked).not.toMatch(/example\.com|block|4\.5|\b5\b|"x"/);
    expect(blanked).toContain('product(upc: "")');
    expect(blanked).toContain('reviews(first: 0, sort: $sort)');
    expect(blanked).toContain('filter: {min: 0.0, sort: NEWEST, tags: ["", ""]} exact: true ) @include(if: false)');
    expect(blanked).toContain('email: null');
  });

  it('keeps a valid document valid against its schema: placeholders fit ID, String, Int, Float and custom scalars', () => {
    const document = parse(
      '{ product(upc: 12) { reviews(first: 3) } byName(name: "n", email: "e@x", filter: { min: 1, tags: "t" }) { upc } f: byName(name: "m", filter: { min: 2.5 }) { upc } }',
    );
    expect(validate(schema, document)).toEqual([]);
    expect(validate(schema, parse(blankLiterals(document)))).toEqual([]);
  });

  it('makes documents that differ only in their literals or layout one', () => {
    expect(blankLiterals(parse('{ product(upc: "1") { upc } }'))).toBe(blankLiterals(parse('query {\n  product(upc:"2"){upc}\n}')));
  });
});
