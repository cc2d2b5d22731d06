import { describe, expect, it } from 'vitest';
import { createEventQueue } from '../../../subgraphs/kit/events/createEventQueue.js';
import { createMemoryEventBus } from '../../../subgraphs/kit/events/createMemoryEventBus.js';
import { EventsEnded } from '../../../subgraphs/kit/events/EventBus.js';
import { eventOrEnd } from '../../../subgraphs/kit/events/eventOrEnd.js';

async function drain<T>(iterator: AsyncIterableIterator<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

describe('createEventQueue', () => {
  it('hands events over in order and ends after them', async () => {
    let ended = 0;
    const queue = createEventQueue<number>(10, () => (ended += 1));
    queue.push(1);
    queue.push(2);
    queue.end();
    queue.push(3);
    expect(await drain(queue.iterator)).toEqual([1, 2]);
    expect(ended).toBe(1);
  });

  it('never holds more than its capacity: a full queue drops its events and ends with OVERLOADED', async () => {
    let ended = 0;
    const queue = createEventQueue<number>(3, () => (ended += 1));
    for (let event = 0; event < 10_000; event += 1) queue.push(event);
    const items = await drain(queue.iterator);
    expect(items).toHaveLength(1);
    expect(items[0]).toBeInstanceOf(EventsEnded);
    expect(() => eventOrEnd(items[0]!)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'OVERLOADED', capacity: 3 }) }));
    expect(ended).toBe(1);
  });

  it('wakes a waiting reader, and a return ends it at once', async () => {
    const queue = createEventQueue<string>(10, () => {});
    const next = queue.iterator.next();
    queue.push('a');
    expect(await next).toEqual({ done: false, value: 'a' });
    const waiting = queue.iterator.next();
    await queue.iterator.return!();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });
});

describe('createMemoryEventBus', () => {
  it('delivers to the subscribers whose filter takes the event, and forgets those that left', async () => {
    const bus = createMemoryEventBus<{ upc: string }>({ capacity: 5 });
    const aborted = new AbortController();
    const all = bus.subscribe({});
    const ofOne = bus.subscribe({ filter: (event) => event.upc === '1', signal: aborted.signal });
    const throwing = bus.subscribe({
      filter: () => {
        throw new Error('a bug in a filter');
      },
    });
    await bus.publish({ upc: '2' });
    await bus.publish({ upc: '1' });
    expect((await all.next()).value).toEqual({ upc: '2' });
    expect((await ofOne.next()).value).toEqual({ upc: '1' });
    aborted.abort();
    expect(await ofOne.next()).toEqual({ done: true, value: undefined });
    await throwing.return!();
    await bus.close();
    expect(await all.next()).toEqual({ done: false, value: { upc: '1' } });
    expect(await all.next()).toEqual({ done: true, value: undefined });
  });
});
