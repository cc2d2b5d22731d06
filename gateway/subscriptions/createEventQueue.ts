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
 * the reader waits for an item. `onRead` is told of each item handed to the reader.
 */
export function createEventQueue<T>(limit: number, onEnd: () => void, onRead?: () => void): EventQueue<T> {
  return new BoundedQueue<T>(limit, onEnd, onRead);
}

// A class, not an object of closures: every idle subscription holds one, so its methods are shared
// on the prototype (an object literal with accessors and eight closures cost about 1 KB each).
class BoundedQueue<T> implements EventQueue<T> {
  // Allocated with the first item waiting: an idle client's queue holds no array.
  private items: T[] | undefined;
  private finished = false;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;

  constructor(
    private readonly limit: number,
    private readonly onEnd: () => void,
    private readonly onRead: (() => void) | undefined,
  ) {}

  get ended(): boolean {
    return this.finished;
  }

  get size(): number {
    return this.items?.length ?? 0;
  }

  push(item: T): boolean {
    if (this.finished || this.size >= this.limit) return false;
    if (this.waiting) this.hand({ value: item, done: false });
    else (this.items ??= []).push(item);
    return true;
  }

  end(last?: T): void {
    if (!this.finish()) return;
    this.items = last === undefined ? undefined : [last];
    if (this.waiting) {
      const next = this.items?.shift();
      this.hand(next === undefined ? { value: undefined, done: true } : { value: next, done: false });
    }
  }

  drain(): void {
    if (!this.finish()) return;
    // A reader waits only on an empty queue: nothing is queued for it, so it is done.
    if (this.waiting) this.hand({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items !== undefined && this.items.length > 0) {
      const value = this.items.shift()!;
      this.onRead?.();
      return Promise.resolve({ value, done: false });
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    this.items = undefined;
    if (this.waiting) this.hand({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Resolves the waiting reader's `next()`. */
  private hand(result: IteratorResult<T>): void {
    const resolve = this.waiting!;
    this.waiting = undefined;
    if (!result.done) this.onRead?.();
    resolve(result);
  }

  private finish(): boolean {
    if (this.finished) return false;
    this.finished = true;
    try {
      this.onEnd();
    } catch {
      // What feeds the queue failed to let go: the reader is done either way.
    }
    return true;
  }
}
