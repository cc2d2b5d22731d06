import { buildSchema, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coercedVariablesOf } from '../../../gateway/execution/coercedVariablesOf.js';

const schema = buildSchema(`
  input Range { from: Int! to: Int }
  type Query { items(first: Int, range: Range, tag: ID): [String] }
`);

/** The query's first operation, with its document, as coercedVariablesOf takes them. */
function operationOf(query: string): { document: DocumentNode; operation: OperationDefinitionNode } {
  const document = parse(query);
  return { document, operation: document.definitions[0] as OperationDefinitionNode };
}

describe('coercedVariablesOf', () => {
  it('coerces the variables as sent and applies the defaults of those not sent', () => {
    const parsed = operationOf('query ($n: Int = 5, $tag: ID, $range: Range = { from: 1 }) { items(first: $n, tag: $tag, range: $range) }');
    const { values } = coercedVariablesOf({ context: {}, schema, ...parsed, variables: { tag: 7 } });
    expect(values).toEqual(
      new Map<string, unknown>([
        ['n', 5],
        ['tag', '7'],
        ['range', { from: 1 }],
      ]),
    );
  });

  it('keeps variables named like Object.prototype members as plain entries, and nothing inherited', () => {
    const parsed = operationOf(
      'query ($__proto__: Int = 3, $constructor: Int, $toString: Int) { a: items(first: $__proto__) b: items(first: $constructor) c: items(first: $toString) }',
    );
    const { values } = coercedVariablesOf({
      context: {},
      schema,
      ...parsed,
      variables: JSON.parse('{"__proto__": 1, "constructor": 2}') as Record<string, unknown>,
    });
    expect(values?.get('__proto__')).toBe(1);
    expect(values?.get('constructor')).toBe(2);
    // Declared but neither sent nor defaulted: absent, not Object.prototype.toString.
    expect(values?.has('toString')).toBe(false);
    expect(values?.get('valueOf')).toBeUndefined();
  });

  it('answers every coercion error as graphql-js words it, coded BAD_USER_INPUT, and at most 50 of them', () => {
    const parsed = operationOf('query ($n: Int!, $tag: ID!) { items(first: $n, tag: $tag) }');
    const { errors } = coercedVariablesOf({ context: {}, schema, ...parsed, variables: { n: 'many' } });
    expect(errors?.map((error) => [error.message, error.extensions.code])).toEqual([
      ['Variable "$n" got invalid value "many"; Int cannot represent non-integer value: "many"', 'BAD_USER_INPUT'],
      ['Variable "$tag" of required type "ID!" was not provided.', 'BAD_USER_INPUT'],
    ]);
    const list = operationOf(
      'query ($ns: [Int]) { items(first: 1) other: items(first: 2) @skip(if: false) last: items(range: { from: 1 }) @include(if: true) x: items(tag: "1") y: items(first: $ns) }',
    );
    const many = coercedVariablesOf({ context: {}, schema, ...list, variables: { ns: Array.from({ length: 10_000 }, () => 'x') } });
    expect(many.errors).toHaveLength(51);
    expect(many.errors?.every((error) => error.extensions.code === 'BAD_USER_INPUT')).toBe(true);
  });

  it('refuses a nullable variable sent as null where the operation needs a value, wherever that place is', () => {
    const nullIn = (query: string, variables: Record<string, unknown>) =>
      coercedVariablesOf({ context: {}, schema, ...operationOf(query), variables }).errors?.map((error) => [
        error.message,
        error.locations,
        error.extensions.code,
      ]);
    // An input object's non-null field, reached through a fragment: refused, with the place's type and location.
    expect(nullIn('query ($f: Int = 1) { ...F } fragment F on Query { items(range: { from: $f }) }', { f: null })).toEqual([
      [
        'Variable "$f" is null, but the operation uses it where a value of type "Int!" is required; send a value, or leave the variable out to use its default',
        [{ line: 1, column: 73 }],
        'BAD_USER_INPUT',
      ],
    ]);
    // A directive's `if`, twice: one error for each place.
    expect(nullIn('query ($x: Boolean = true) { a: items @skip(if: $x) b: items @include(if: $x) }', { x: null })).toHaveLength(2);
    // Where execution does not read it with these variables, as graphql-js does not: under a field
    // @include leaves out, in an @include past a @skip that is true, in a fragment spread where it is
    // left out; and read where one of two spreads is included.
    expect(nullIn('query ($f: Int = 1, $w: Boolean!) { items(range: { from: $f }) @include(if: $w) }', { f: null, w: false })).toBeUndefined();
    expect(nullIn('query ($x: Boolean = true) { items @skip(if: true) @include(if: $x) }', { x: null })).toBeUndefined();
    const twice =
      'query ($f: Int = 1, $a: Boolean!, $b: Boolean!) { ...F @include(if: $a) ...F @include(if: $b) } fragment F on Query { items(range: { from: $f }) }';
    expect(nullIn(twice, { f: null, a: false, b: false })).toBeUndefined();
    expect(nullIn(twice, { f: null, a: false, b: true })).toHaveLength(1);
    // Nullable places, a variable left out (its default), or one declared and not used: nothing to refuse.
    expect(nullIn('query ($n: Int = 1, $t: ID) { items(first: $n, tag: $t) }', { n: null, t: null })).toBeUndefined();
    expect(nullIn('query ($x: Boolean = true) { items @skip(if: $x) }', {})).toBeUndefined();
    expect(nullIn('query ($x: Boolean = true, $y: Boolean) { items @skip(if: $x) }', { y: null })).toBeUndefined();
  });

  it('coerces once per request context: every stage gets the same values', () => {
    const parsed = operationOf('query ($n: Int = 5) { items(first: $n) }');
    const context = {};
    const first = coercedVariablesOf({ context, schema, ...parsed, variables: {} });
    expect(coercedVariablesOf({ context, schema, ...parsed, variables: { n: 9 } })).toBe(first);
    expect(coercedVariablesOf({ context: {}, schema, ...parsed, variables: { n: 9 } }).values?.get('n')).toBe(9);
  });
});
