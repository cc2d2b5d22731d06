import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../common/errorCodes.js';
import { EventsEnded } from './EventBus.js';

/** Events buffered for one subscriber, at most this many. */
export const defaultEventQueueCapacity = 1000;

export interface EventQueue<T> {
  /** Adds an event; ignored once the queue has ended. */
  push(event: T): void;
  /** Ends the iterator after the events already queued. */
  end(): void;
  /** Ends the iterator with `error` after the events already queued. */
  fail(error: GraphQLError): void;
  iterator: AsyncIterableIterator<T | EventsEnded>;
}

/**
 * A per-subscriber queue that never grows past `capacity`: when a subscriber reads more slowly
 * than events arrive and the queue is full, the events it holds are dropped and the subscriber
 * gets one `EventsEnded` with an OVERLOADED error and then the end, so that it knows (and may
 * subscribe again) instead of silently missing events. `onEnd` runs once, however the queue ends.
 */
export function createEventQueue<T>(capacity: number, onEnd: () => void): EventQueue<T> {
  const items: Array<T | EventsEnded> = [];
  let ended = false;
  let wake: (() => void) | undefined;
  // No more pushes from here; what is queued is still read. Tells the owner once.
  const end = () => {
    if (ended) return;
    ended = true;
    wake?.();
    onEnd();
  };
  const fail = (error: GraphQLError) => {
    if (ended) return;
    items.push(new EventsEnded(error));
    end();
  };
  const iterator: AsyncIterableIterator<T | EventsEnded> = {
    async next() {
      while (items.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (items.length === 0) return { done: true, value: undefined };
      return { done: false, value: items.shift()! };
    },
    async return() {
      items.length = 0;
      end();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return {
    push(event) {
      if (ended) return;
      if (items.length >= capacity) {
        items.length = 0;
        fail(
          new GraphQLError(`This subscription fell more than ${capacity} events behind, so it was ended rather than buffered without limit; subscribe again.`, {
            extensions: { code: ErrorCode.OVERLOADED, capacity },
          }),
        );
        return;
      }
      items.push(event);
      wake?.();
    },
    end,
    fail,
    iterator,
  };
}
