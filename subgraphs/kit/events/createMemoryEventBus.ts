import { createEventQueue, defaultEventQueueCapacity } from './createEventQueue.js';
import type { EventBus, SubscribeOptions } from './EventBus.js';

export interface LocalFanOut<T> {
  /** Hands an event to every local subscriber whose filter takes it. */
  deliver(event: T): void;
  subscribe: EventBus<T>['subscribe'];
  /** Ends every local subscription. */
  endAll(): void;
}

/**
 * The subscribers of this process: each with its own bounded queue, removed as soon as it ends
 * (returned, aborted, overflowed), so that a subscriber gone away costs nothing.
 */
export function createLocalFanOut<T>(capacity = defaultEventQueueCapacity): LocalFanOut<T> {
  const subscribers = new Set<{ push(event: T): void; end(): void; filter?: (event: T) => boolean }>();
  return {
    deliver(event) {
      for (const subscriber of subscribers) {
        // A filter that throws (a bug) must not keep the event from the other subscribers.
        let wanted = true;
        try {
          wanted = subscriber.filter?.(event) ?? true;
        } catch {
          wanted = false;
        }
        if (wanted) subscriber.push(event);
      }
    },
    subscribe(options: SubscribeOptions<T>) {
      const onAbort = () => queue.end();
      const queue = createEventQueue<T>(capacity, () => {
        subscribers.delete(subscriber);
        options.signal?.removeEventListener('abort', onAbort);
      });
      const subscriber = { push: queue.push, end: queue.end, filter: options.filter };
      subscribers.add(subscriber);
      if (options.signal?.aborted) queue.end();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      return queue.iterator;
    },
    endAll() {
      for (const subscriber of subscribers) subscriber.end();
    },
  };
}

/** Events within one process: the default, when a subgraph runs as one replica. */
export function createMemoryEventBus<T>(options: { capacity?: number } = {}): EventBus<T> {
  const local = createLocalFanOut<T>(options.capacity);
  return {
    async publish(event) {
      local.deliver(event);
    },
    subscribe: local.subscribe,
    async close() {
      local.endAll();
    },
  };
}
