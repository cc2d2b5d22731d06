import { describe, expect, it } from 'vitest';
import { mergeInto } from '../../../gateway/execution/mergeInto.js';

describe('mergeInto', () => {
  it('merges objects key by key and lists of equal length element by element; anything else replaces', () => {
    const target = { a: { x: 1 }, list: [{ id: '1' }, { id: '2' }], other: [1, 2], keep: true, gone: 'old' };
    const source = { a: { y: 2 }, list: [{ name: 'one' }, null], other: [3], gone: null, skipped: undefined };
    expect(mergeInto(target, source)).toBe(target);
    expect(target).toEqual({ a: { x: 1, y: 2 }, list: [{ id: '1', name: 'one' }, null], other: [3], keep: true, gone: null });
    expect(Object.keys(target)).toEqual(['a', 'list', 'other', 'keep', 'gone']);
  });

  it('merges a field named __proto__ as an own field, never as the prototype', () => {
    const target: Record<string, unknown> = { id: '1' };
    mergeInto(target, JSON.parse('{"__proto__": {"polluted": true}, "name": "n"}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.hasOwn(target, '__proto__')).toBe(true);
    expect(JSON.stringify(target)).toBe('{"id":"1","__proto__":{"polluted":true},"name":"n"}');
  });

  it("takes the source's own fields only, not what its prototype chain adds", () => {
    const source = Object.assign(Object.create({ inherited: 'no' }) as Record<string, unknown>, { own: 'yes' });
    const target: Record<string, unknown> = {};
    mergeInto(target, source);
    expect(target).toEqual({ own: 'yes' });
    expect('inherited' in target).toBe(false);
  });
});
