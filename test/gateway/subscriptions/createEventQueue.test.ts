import { describe, expect, it, vi } from 'vitest';
import { createEventQueue } from '../../../gateway/subscriptions/createEventQueue.js';

describe('createEventQueue', () => {
  it('delivers in order, to a reader waiting or not', async () => {
    const queue = createEventQueue<number>(10, () => {});
    const waiting = queue.next();
    expect(queue.push(1)).toBe(true);
    expect(queue.push(2)).toBe(true);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: 2, done: false });
  });

  it('refuses an item past its limit, holding no more than the limit', () => {
    const queue = createEventQueue<number>(2, () => {});
    expect([queue.push(1), queue.push(2), queue.push(3)]).toEqual([true, true, false]);
    expect(queue.size).toBe(2);
  });

  it('on end drops what is queued, delivers the last item, then is done; onEnd runs once', async () => {
    const onEnd = vi.fn();
    const queue = createEventQueue<string>(10, onEnd);
    queue.push('a');
    queue.end('bye');
    queue.end('again');
    expect(queue.push('late')).toBe(false);
    expect(await queue.next()).toEqual({ value: 'bye', done: false });
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('drain() takes no more but delivers what is queued, then is done; onEnd runs once', async () => {
    const onEnd = vi.fn();
    const queue = createEventQueue<string>(10, onEnd);
    queue.push('a');
    queue.push('b');
    queue.drain();
    queue.end('too late');
    expect(queue.push('late')).toBe(false);
    expect(await queue.next()).toEqual({ value: 'a', done: false });
    expect(await queue.next()).toEqual({ value: 'b', done: false });
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('drain() releases a reader waiting on an empty queue', async () => {
    const queue = createEventQueue<string>(10, () => {});
    const waiting = queue.next();
    queue.drain();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('hands the last item to a reader already waiting', async () => {
    const queue = createEventQueue<string>(10, () => {});
    const waiting = queue.next();
    queue.end('bye');
    expect(await waiting).toEqual({ value: 'bye', done: false });
  });

  it('return() ends it at once, releasing a reader that waits', async () => {
    const onEnd = vi.fn();
    const queue = createEventQueue<string>(10, onEnd);
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(queue.ended).toBe(true);
  });
});
