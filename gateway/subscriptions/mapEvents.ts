/**
 * `events` with `change` applied to each, as the transport reads them; `return()` reaches
 * `events` at once (a client that leaves frees the upstream even while an event is awaited).
 */
export function mapEvents<T>(events: AsyncIterableIterator<T>, change: (event: T) => T): AsyncIterableIterator<T> {
  return {
    async next() {
      const next = await events.next();
      return next.done ? next : { value: change(next.value), done: false };
    },
    return: () => events.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
