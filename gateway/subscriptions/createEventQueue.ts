/**
 * One client's events, waiting to be read: bounded, so that a client that does not read can
 * never make the gateway hold more than `limit` events for it.
 */
export interface EventQueue<T> extends AsyncIterableIterator<T> {
  return(): Promise<IteratorResult<T>>;
  /** Queues an item; false when the queue is full or ended (the caller decides what that means). */
  push(item: T): boolean;
  /**
   * Ends the queue: what is queued is dropped, `last` (if any) is read next, then the queue is
   * done. Ending twice keeps the first end.
   */
  end(last?: T): void;
  /**
   * Ends the queue gracefully: no more is queued, but what is queued is still read, then the
   * queue is done (an upstream's normal `complete`). Ending twice keeps the first end.
   */
  drain(): void;
  /** Whether it has ended (by `end` or `return`). */
  readonly ended: boolean;
  /** Items waiting. */
  readonly size: number;
}

/**
 * A bounded queue read as an async iterator. `onEnd` runs once, when the queue ends for any
 * reason (`end`, or the reader's `return`), so that what feeds it lets go at once, even while
 * the reader waits for an item.
 */
export function createEventQueue<T>(limit: number, onEnd: () => void): EventQueue<T> {
  let items: T[] = [];
  let ended = false;
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  const finish = () => {
    if (ended) return false;
    ended = true;
    try {
      onEnd();
    } catch {
      // What feeds the queue failed to let go: the reader is done either way.
    }
    return true;
  };
  const deliver = (item: T) => {
    const resolve = waiting;
    waiting = undefined;
    resolve!({ value: item, done: false });
  };
  const queue: EventQueue<T> = {
    push(item) {
      if (ended || items.length >= limit) return false;
      if (waiting) deliver(item);
      else items.push(item);
      return true;
    },
    end(last) {
      if (!finish()) return;
      items = last === undefined ? [] : [last];
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        const next = items.shift();
        resolve(next === undefined ? { value: undefined, done: true } : { value: next, done: false });
      }
    },
    drain() {
      if (!finish()) return;
      // A reader waits only on an empty queue: nothing is queued for it, so it is done.
      const resolve = waiting;
      waiting = undefined;
      resolve?.({ value: undefined, done: true });
    },
    get ended() {
      return ended;
    },
    get size() {
      return items.length;
    },
    next() {
      if (items.length > 0) return Promise.resolve({ value: items.shift()!, done: false });
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return() {
      finish();
      items = [];
      const resolve = waiting;
      waiting = undefined;
      resolve?.({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return queue;
}
