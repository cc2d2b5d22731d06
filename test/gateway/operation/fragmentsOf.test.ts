import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';

describe('fragmentsOf', () => {
  it("maps a document's fragments by name, operations left out", () => {
    const document = parse('query Q { ...A } fragment A on Query { a } fragment B on Query { b } query R { ...B }');
    const fragments = fragmentsOf(document);
    expect([...fragments.keys()]).toEqual(['A', 'B']);
    expect(fragments.get('A')?.typeCondition.name.value).toBe('Query');
  });

  it('keeps names like Object.prototype members as plain entries, and nothing inherited', () => {
    const document = parse('{ ...__proto__ ...constructor } fragment __proto__ on Query { a } fragment constructor on Query { b }');
    const fragments = fragmentsOf(document);
    expect(fragments).toBeInstanceOf(Map);
    expect(fragments.get('__proto__')?.name.value).toBe('__proto__');
    expect(fragments.get('constructor')?.name.value).toBe('constructor');
    expect(fragments.has('toString')).toBe(false);
    expect(fragments.get('hasOwnProperty')).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('lets the last of two fragments of one name win, as graphql-js validation does', () => {
    const fragments = fragmentsOf(parse('{ ...A } fragment A on Query { a } fragment A on Query { b }'));
    expect(fragments.size).toBe(1);
    expect(fragments.get('A')?.selectionSet.selections).toMatchObject([{ name: { value: 'b' } }]);
  });

  it('works a document out once, and a rewritten document on its own', () => {
    const document = parse('{ ...A } fragment A on Query { a }');
    expect(fragmentsOf(document)).toBe(fragmentsOf(document));
    const rewritten = { ...document, definitions: document.definitions.slice(0, 1) };
    expect(fragmentsOf(rewritten).size).toBe(0);
    expect(fragmentsOf(document).size).toBe(1);
  });
});
