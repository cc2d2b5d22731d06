import { describe, expect, it } from 'vitest';
import { createStreamSlot } from '../../../gateway/streaming/createStreamSlot.js';
import type { ResultStream } from '../../../gateway/streaming/ResultStream.js';

// Apollo Server's `cloneObject`: the copy of the context an operation runs with.
const cloneLikeApollo = <T extends object>(object: T): T => Object.assign(Object.create(Object.getPrototypeOf(object) as object) as T, object);
const aStream = { kind: 'deferred' } as unknown as ResultStream;

describe('createStreamSlot', () => {
  it('fills the slot from whichever copy of the context the executor sets `stream` on', () => {
    const slot = createStreamSlot();
    const context = slot.contextOf({ requestId: 'r1' });
    const copy = cloneLikeApollo(cloneLikeApollo(context));
    expect(slot.current()).toBeUndefined();
    (copy as { stream?: ResultStream }).stream = aStream;
    expect(slot.current()).toBe(aStream);
    expect((context as { stream?: ResultStream }).stream).toBe(aStream);
  });

  it('keeps each request to its own slot', () => {
    const first = createStreamSlot();
    const second = createStreamSlot();
    (cloneLikeApollo(first.contextOf({ requestId: 'a' })) as { stream?: ResultStream }).stream = aStream;
    expect(first.current()).toBe(aStream);
    expect(second.current()).toBeUndefined();
  });

  it('gives every request the same prototype, so that no request makes a hidden class of its own', () => {
    const first = createStreamSlot().contextOf({ requestId: 'a' });
    const second = createStreamSlot().contextOf({ requestId: 'b' });
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
  });

  it('shows only the fields given to string-keyed readers (logs, JSON)', () => {
    const context = createStreamSlot().contextOf({ requestId: 'a', viewer: null });
    expect(Object.keys(context)).toEqual(['requestId', 'viewer']);
    expect(JSON.parse(JSON.stringify(context))).toEqual({ requestId: 'a', viewer: null });
  });
});
