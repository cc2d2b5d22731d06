import { parse, type FragmentSpreadNode, type InlineFragmentNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fragmentOf } from '../../../gateway/operation/fragmentOf.js';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';

describe('fragmentOf', () => {
  const document = parse(
    '{ ... on Query { a } ...__proto__ ...constructor ...Missing ...toString } fragment __proto__ on Query { b } fragment constructor on Query { c }',
  );
  const selections = (document.definitions[0] as OperationDefinitionNode).selectionSet.selections as readonly (InlineFragmentNode | FragmentSpreadNode)[];
  const fragments = fragmentsOf(document);

  it('is an inline fragment itself', () => {
    expect(fragmentOf(selections[0]!, fragments)).toBe(selections[0]);
  });

  it("is a spread's definition, hostile names included", () => {
    expect(fragmentOf(selections[1]!, fragments)).toBe(fragments.get('__proto__'));
    expect(fragmentOf(selections[2]!, fragments)).toBe(fragments.get('constructor'));
  });

  it('is nothing for a fragment the document does not define, inherited names included', () => {
    expect(fragmentOf(selections[3]!, fragments)).toBeUndefined();
    expect(fragmentOf(selections[4]!, fragments)).toBeUndefined();
  });
});
