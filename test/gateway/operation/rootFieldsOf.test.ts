import fc from 'fast-check';
import { buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
// graphql-js's own field collection (internal, stable across 16.x): the reference this is compared with.
import { collectFields } from 'graphql/execution/collectFields.js';
import { describe, expect, it } from 'vitest';
import { coercedVariablesOf } from '../../../gateway/execution/coercedVariablesOf.js';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';
import { rootFieldsOf } from '../../../gateway/operation/rootFieldsOf.js';

const schema = buildSchema('type Query { a: Int b: Int c: Int }');

/** The response keys of the root fields of the document's first operation. */
function roots(query: string, sent?: Record<string, unknown> | 'unconditioned'): string[] {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition')!;
  const variables = sent === 'unconditioned' ? undefined : coercedVariablesOf({ context: {}, schema, document, operation, variables: sent }).values;
  return rootFieldsOf(operation, fragmentsOf(document), variables).map((field) => field.alias?.value ?? field.name.value);
}

describe('rootFieldsOf', () => {
  it('lists root fields in document order, through inline fragments and spreads', () => {
    expect(roots('{ a ... on Query { b ...C } } fragment C on Query { c }')).toEqual(['a', 'b', 'c']);
  });

  it('walks a fragment spread twice once, and stops at a cycle', () => {
    expect(roots('{ ...A ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }')).toEqual(['a', 'b']);
  });

  it('leaves out spreads of fragments the document does not define', () => {
    expect(roots('{ a ...Missing ...toString }')).toEqual(['a']);
  });

  it('keeps hostile names: fragments and aliases called __proto__ or constructor', () => {
    expect(roots('{ __proto__: a ...constructor } fragment constructor on Query { constructor: b ...__proto__ } fragment __proto__ on Query { c }')).toEqual([
      '__proto__',
      'constructor',
      'c',
    ]);
  });

  it('leaves out what @skip/@include leave out, on coerced variables (defaults applied)', () => {
    const query = 'query ($skipA: Boolean = true, $withC: Boolean!) { a @skip(if: $skipA) b ...C @include(if: $withC) } fragment C on Query { c }';
    expect(roots(query, { withC: false })).toEqual(['b']);
    expect(roots(query, { skipA: false, withC: true })).toEqual(['a', 'b', 'c']);
  });

  it('walks a spread that a condition excluded once it is spread again unconditioned', () => {
    expect(roots('{ ...C @skip(if: true) ...C } fragment C on Query { c }', {})).toEqual(['c']);
  });

  it('without variables, lists every field the document names', () => {
    expect(roots('{ a @skip(if: true) ...C @include(if: false) } fragment C on Query { c }', 'unconditioned')).toEqual(['a', 'c']);
  });

  it('collects the root fields graphql-js execution collects, on generated documents with cycles, unknown and hostile names', () => {
    const names = ['A', '__proto__', 'constructor', 'toString'];
    const condition = fc.constantFrom('', '@skip(if: true)', '@include(if: false)', '@skip(if: $v)', '@include(if: $v)', '@include(if: true)');
    const field = fc
      .tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('', ...names.map((name) => `${name}: `)), condition)
      .map(([name, alias, when]) => `${alias}${name} ${when}`);
    const spread = fc.tuple(fc.constantFrom(...names, 'Missing'), condition).map(([name, when]) => `...${name} ${when}`);
    const selections = (inline: fc.Arbitrary<string>) =>
      fc.array(fc.oneof(field, spread, inline), { minLength: 1, maxLength: 5 }).map((list) => list.join(' '));
    const inline = fc.tuple(selections(fc.oneof(field, spread)), condition).map(([inner, when]) => `... on Query ${when} { ${inner} }`);
    fc.assert(
      fc.property(selections(inline), fc.array(selections(inline), { minLength: names.length, maxLength: names.length }), fc.boolean(), (root, bodies, v) => {
        const fragmentsText = names.map((name, index) => `fragment ${name} on Query { ${bodies[index]} }`).join(' ');
        const document = parse(`query ($v: Boolean!) { ${root} } ${fragmentsText}`);
        const operation = document.definitions[0] as OperationDefinitionNode;
        const variables = new Map<string, unknown>([['v', v]]);
        const reference = Object.create(null) as Record<string, FragmentDefinitionNode>;
        for (const [name, fragment] of fragmentsOf(document)) reference[name] = fragment;
        const expected = [...collectFields(schema, reference, { v }, schema.getQueryType()!, operation.selectionSet).keys()];
        const keys = rootFieldsOf(operation, fragmentsOf(document), variables).map((node) => node.alias?.value ?? node.name.value);
        expect([...new Set(keys)]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
