import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coercedVariablesOf } from '../../../gateway/execution/coercedVariablesOf.js';

const schema = buildSchema(`
  input Range { from: Int! to: Int }
  type Query { items(first: Int, range: Range, tag: ID): [String] }
`);

function operationOf(query: string): OperationDefinitionNode {
  return parse(query).definitions[0] as OperationDefinitionNode;
}

describe('coercedVariablesOf', () => {
  it('coerces the variables as sent and applies the defaults of those not sent', () => {
    const operation = operationOf('query ($n: Int = 5, $tag: ID, $range: Range = { from: 1 }) { items(first: $n, tag: $tag, range: $range) }');
    const { values } = coercedVariablesOf({ context: {}, schema, operation, variables: { tag: 7 } });
    expect(values).toEqual(
      new Map<string, unknown>([
        ['n', 5],
        ['tag', '7'],
        ['range', { from: 1 }],
      ]),
    );
  });

  it('keeps variables named like Object.prototype members as plain entries, and nothing inherited', () => {
    const operation = operationOf(
      'query ($__proto__: Int = 3, $constructor: Int, $toString: Int) { a: items(first: $__proto__) b: items(first: $constructor) c: items(first: $toString) }',
    );
    const { values } = coercedVariablesOf({
      context: {},
      schema,
      operation,
      variables: JSON.parse('{"__proto__": 1, "constructor": 2}') as Record<string, unknown>,
    });
    expect(values?.get('__proto__')).toBe(1);
    expect(values?.get('constructor')).toBe(2);
    // Declared but neither sent nor defaulted: absent, not Object.prototype.toString.
    expect(values?.has('toString')).toBe(false);
    expect(values?.get('valueOf')).toBeUndefined();
  });

  it('answers every coercion error as graphql-js words it, coded BAD_USER_INPUT, and at most 50 of them', () => {
    const operation = operationOf('query ($n: Int!, $tag: ID!) { items(first: $n, tag: $tag) }');
    const { errors } = coercedVariablesOf({ context: {}, schema, operation, variables: { n: 'many' } });
    expect(errors?.map((error) => [error.message, error.extensions.code])).toEqual([
      ['Variable "$n" got invalid value "many"; Int cannot represent non-integer value: "many"', 'BAD_USER_INPUT'],
      ['Variable "$tag" of required type "ID!" was not provided.', 'BAD_USER_INPUT'],
    ]);
    const list = operationOf(
      'query ($ns: [Int]) { items(first: 1) other: items(first: 2) @skip(if: false) last: items(range: { from: 1 }) @include(if: true) x: items(tag: "1") y: items(first: $ns) }',
    );
    const many = coercedVariablesOf({ context: {}, schema, operation: list, variables: { ns: Array.from({ length: 10_000 }, () => 'x') } });
    expect(many.errors).toHaveLength(51);
    expect(many.errors?.every((error) => error.extensions.code === 'BAD_USER_INPUT')).toBe(true);
  });

  it('coerces once per request context: every stage gets the same values', () => {
    const operation = operationOf('query ($n: Int = 5) { items(first: $n) }');
    const context = {};
    const first = coercedVariablesOf({ context, schema, operation, variables: {} });
    expect(coercedVariablesOf({ context, schema, operation, variables: { n: 9 } })).toBe(first);
    expect(coercedVariablesOf({ context: {}, schema, operation, variables: { n: 9 } }).values?.get('n')).toBe(9);
  });
});
