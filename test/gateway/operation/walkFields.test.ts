import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';
import { walkFields } from '../../../gateway/operation/walkFields.js';

/** Every field walked, as `scope.responseKey`, where the scope is the path of type conditions and fields. */
function walked(query: string, variables?: ReadonlyMap<string, unknown>, stopAt?: string): string[] {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition')!;
  const seen: string[] = [];
  walkFields<string>(operation.selectionSet, 'Query', {
    fragments: fragmentsOf(document),
    ...(variables ? { variables } : {}),
    field(node, scope) {
      const key = node.alias?.value ?? node.name.value;
      seen.push(`${scope}.${key}`);
      return key === stopAt ? undefined : `${scope}.${key}`;
    },
    fragment: (typeCondition, scope) => (typeCondition?.name.value === 'Nowhere' ? undefined : typeCondition ? `${scope}(${typeCondition.name.value})` : scope),
  });
  return seen;
}

describe('walkFields', () => {
  it('walks fields depth first in document order, in the scope each field and fragment gives', () => {
    expect(walked('{ a { b ... on T { c } ...F } d } fragment F on U { e }')).toEqual(['Query.a', 'Query.a.b', 'Query.a(T).c', 'Query.a(U).e', 'Query.d']);
  });

  it("does not walk a field's selections when it gives no scope, nor a fragment's", () => {
    expect(walked('{ a { b } c { d ... on Nowhere { e } } }', undefined, 'a')).toEqual(['Query.a', 'Query.c', 'Query.c.d']);
  });

  it('walks a named fragment once, where it is first spread, and stops at a cycle', () => {
    expect(walked('{ a { ...F } b { ...F } } fragment F on T { c ...G } fragment G on T { d ...F }')).toEqual([
      'Query.a',
      'Query.a(T).c',
      'Query.a(T)(T).d',
      'Query.b',
    ]);
  });

  it('passes over spreads of fragments the document does not define', () => {
    expect(walked('{ a ...Missing ...toString ...__proto__ }')).toEqual(['Query.a']);
  });

  it('keeps hostile fragment names and aliases as plain names', () => {
    expect(walked('{ __proto__: a { ...constructor } } fragment constructor on T { constructor: b }')).toEqual([
      'Query.__proto__',
      'Query.__proto__(T).constructor',
    ]);
  });

  it('leaves out what @skip/@include leave out when given the variables, and walks everything without', () => {
    const query =
      'query ($no: Boolean!) { a @skip(if: true) b @include(if: $no) { c } ...F @skip(if: $no) ... @include(if: false) { d } } fragment F on Query { e }';
    expect(walked(query, new Map([['no', false]]))).toEqual(['Query(Query).e']);
    expect(walked(query, new Map([['no', true]]))).toEqual(['Query.b', 'Query.b.c']);
    expect(walked(query)).toEqual(['Query.a', 'Query.b', 'Query.b.c', 'Query(Query).e', 'Query.d']);
  });
});
