import { buildSchema, Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coercedVariablesOf } from '../../gateway/execution/coercedVariablesOf.js';
import { createCostEstimator } from '../../gateway/traffic/createCostEstimator.js';
import { readCostDirectives } from '../../gateway/traffic/readCostDirectives.js';

// A supergraph-shaped SDL: the directives as composition writes them.
const sdl = `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  type Query {
    items(first: Int = 5, last: Int): [Item] @listSize(slicingArguments: ["first", "last"])
    page(size: Int!): Page @listSize(slicingArguments: ["size"], sizedFields: ["edges"])
    tagged: [Item] @listSize(assumedSize: 3)
    plain: [Item]
    search(text: String @cost(weight: 7)): Item
    names: [String]
  }
  type Mutation { touch: Item }
  type Page { edges: [Item] total: Int }
  type Item { id: ID! slow: Int @cost(weight: 4) heavy: Heavy }
  type Heavy @cost(weight: 9) { id: ID! }
`;
const schema = buildSchema(sdl);
const estimate = createCostEstimator({ directives: readCostDirectives(parse(sdl)), defaultListSize: 10 });

// Variables as the gateway hands them over: coerced, with the operation's defaults.
function coerced(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
  return coercedVariablesOf({ context: {}, schema, document, operation, variables }).values!;
}

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return estimate({ schema, document, operation, variables: coerced(document, operation, variables) });
}

describe('createCostEstimator', () => {
  it('charges 1 per object and 0 per scalar, times the list size', () => {
    expect(cost('{ plain { id } }')).toBe(10);
    expect(cost('{ names }')).toBe(0);
    expect(cost('{ tagged { id } }')).toBe(3);
  });

  it('sizes a list by its slicing arguments: literal, variable, default, largest of several', () => {
    expect(cost('{ items(first: 2) { id } }')).toBe(2);
    expect(cost('query ($n: Int) { items(first: $n) { id } }', { n: 7 })).toBe(7);
    expect(cost('{ items { id } }')).toBe(5);
    expect(cost('{ items(first: 2, last: 4) { id } }')).toBe(4);
    expect(cost('query ($n: Int = 6) { items(first: $n) { id } }')).toBe(6);
    expect(cost('{ items(first: -50) { id } }')).toBe(0);
  });

  it('passes a slicing size down to sizedFields', () => {
    // page 1 + 20 edges × 1
    expect(cost('{ page(size: 20) { total edges { id } } }')).toBe(21);
  });

  it('uses @cost on fields, types and arguments', () => {
    expect(cost('{ search(text: "x") { slow heavy { id } } }')).toBe(7 + 1 + 4 + 9);
    expect(cost('{ search { id } }')).toBe(1);
  });

  it('adds 10 for a mutation, and nothing for introspection', () => {
    expect(cost('mutation { touch { id } }')).toBe(11);
    expect(cost('{ __schema { types { name } } __typename }')).toBe(0);
  });

  it('multiplies nested lists and counts fragments where they are spread', () => {
    expect(cost('{ plain { ...F } } fragment F on Item { heavy { id } }')).toBe(10 * (1 + 9));
    expect(cost('{ items(first: 3) { ... on Item { slow } } }')).toBe(3 * (1 + 4));
  });

  it('costs a fragment bomb in linear time, and ends at a cycle or an unknown fragment', () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, index) => `fragment F${index} on Item { ...F${index + 1} ...F${index + 1} }`).join(' ');
    expect(cost(`{ search { ...F0 } } ${fragments} fragment F${levels} on Item { heavy { id } }`)).toBe(1 + 2 ** levels * 9);
    expect(cost('{ search { ...A ...Missing ...toString } } fragment A on Item { heavy { id } ...B } fragment B on Item { slow ...A }')).toBe(1 + 9 + 4);
  });

  it('takes fragments and aliases named like Object.prototype members as plain names', () => {
    expect(
      cost(
        '{ __proto__: plain { ...constructor } } fragment constructor on Item { constructor: heavy { id } ...__proto__ } fragment __proto__ on Item { slow }',
      ),
    ).toBe(10 * (1 + 9 + 4));
  });

  it('costs nothing for what @skip/@include leave out, with the variables execution reads', () => {
    expect(cost('{ plain @skip(if: true) { id } tagged { id } }')).toBe(3);
    expect(cost('{ ... @include(if: false) { plain { id } } tagged { id } }')).toBe(3);
    expect(cost('query ($s: Boolean!) { plain @skip(if: $s) { id } }', { s: true })).toBe(0);
    expect(cost('query ($s: Boolean!) { plain @skip(if: $s) { id } }', { s: false })).toBe(10);
    // The operation's default, as execution applies it.
    expect(cost('query ($i: Boolean = false) { ...F @include(if: $i) } fragment F on Query { plain { id } }')).toBe(0);
    // One parsed operation, other values: a condition's variable is read, so nothing is kept as constant.
    const document = parse('query ($s: Boolean!) { plain @skip(if: $s) { id } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(estimate({ schema, document, operation, variables: coerced(document, operation, { s: true }) })).toBe(0);
    expect(estimate({ schema, document, operation, variables: coerced(document, operation, { s: false }) })).toBe(10);
  });

  it('estimates the same parsed operation again for other variables, and again on another schema', () => {
    const document = parse('query ($n: Int) { items(first: $n) { id } plain { id } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(estimate({ schema, document, operation, variables: coerced(document, operation, { n: 2 }) })).toBe(12);
    expect(estimate({ schema, document, operation, variables: coerced(document, operation, { n: 30 }) })).toBe(40);

    const fixed = parse('{ plain { id heavy { id } } }');
    const fixedOperation = fixed.definitions[0] as OperationDefinitionNode;
    expect(estimate({ schema, document: fixed, operation: fixedOperation, variables: new Map() })).toBe(100);
    expect(estimate({ schema, document: fixed, operation: fixedOperation, variables: new Map() })).toBe(100);
    // A reloaded schema where `heavy` became a list: 10 items × (1 + 10 × 9).
    const reloaded = buildSchema(sdl.replace('heavy: Heavy', 'heavy: [Heavy]'));
    expect(estimate({ schema: reloaded, document: fixed, operation: fixedOperation, variables: new Map() })).toBe(910);
  });
});
