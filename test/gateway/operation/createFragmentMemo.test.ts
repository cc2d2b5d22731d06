import { parse, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createFragmentMemo } from '../../../gateway/operation/createFragmentMemo.js';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';

/** Fields of a selection set, fragments expanded, each fragment worked out through the memo. */
function countFields(query: string) {
  const document = parse(query);
  const computed: string[] = [];
  const memo = createFragmentMemo(fragmentsOf(document), 0);
  const count = (set: SelectionSetNode): number =>
    set.selections.reduce((total, selection) => {
      if (selection.kind === 'Field') return total + 1 + (selection.selectionSet ? count(selection.selectionSet) : 0);
      if (selection.kind === 'InlineFragment') return total + count(selection.selectionSet);
      return (
        total +
        memo(selection.name.value, (fragment) => {
          computed.push(fragment.name.value);
          return count(fragment.selectionSet);
        })
      );
    }, 0);
  const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition');
  return { fields: operation?.kind === 'OperationDefinition' ? count(operation.selectionSet) : 0, computed };
}

describe('createFragmentMemo', () => {
  it('works each fragment out once however often it is spread (a fragment bomb in linear time)', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`).join(' ');
    const { fields, computed } = countFields(`{ ...F0 } ${fragments} fragment F${levels} on Query { a }`);
    expect(fields).toBe(2 ** levels);
    expect(computed).toHaveLength(levels + 1);
  });

  it('ends a cycle where it closes, with the fallback', () => {
    const { fields, computed } = countFields('{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A ...A }');
    expect(fields).toBe(2);
    expect(computed).toEqual(['A', 'B']);
  });

  it('counts a self-spread as the fallback', () => {
    expect(countFields('{ ...A } fragment A on Query { a ...A }').fields).toBe(1);
  });

  it('gives the fallback for a fragment the document does not define, inherited names included', () => {
    expect(countFields('{ a ...Missing ...toString ...hasOwnProperty }')).toEqual({ fields: 1, computed: [] });
  });

  it('keeps hostile fragment names as plain keys', () => {
    const { fields, computed } = countFields(
      '{ ...__proto__ ...constructor ...__proto__ } fragment __proto__ on Query { a b } fragment constructor on Query { c }',
    );
    expect(fields).toBe(5);
    expect(computed).toEqual(['__proto__', 'constructor']);
  });

  it('keys a value by what the caller says it depends on', () => {
    const document = parse('{ ...A } fragment A on Query { a }');
    const memo = createFragmentMemo(fragmentsOf(document), -1);
    let calls = 0;
    const value = (key: string) => memo('A', () => (calls += 1), key);
    expect([value('A|x'), value('A|y'), value('A|x')]).toEqual([1, 2, 1]);
  });

  it('leaves a fragment computable again after its computation throws', () => {
    const memo = createFragmentMemo(fragmentsOf(parse('{ ...A } fragment A on Query { a }')), 0);
    expect(() =>
      memo('A', () => {
        throw new Error('too large');
      }),
    ).toThrow('too large');
    expect(memo('A', () => 7)).toBe(7);
  });
});
