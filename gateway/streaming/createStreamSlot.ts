import type { ResultStream } from './ResultStream.js';

/**
 * The prototype a transport builds its request context on, so that `context.stream`, set by the
 * executor, reaches the transport. Apollo Server runs each operation with a shallow copy of the
 * context (`Object.assign(Object.create(prototypeOf(context)), context)`), so a field the
 * executor sets lands on the copy; the copy keeps the prototype, though, and the accessor here
 * holds the value for both. Build the context with `Object.assign(Object.create(createStreamSlot()), fields)`.
 */
export function createStreamSlot(): { stream?: ResultStream } {
  let stream: ResultStream | undefined;
  return Object.create(Object.prototype, {
    stream: {
      get: () => stream,
      set: (value: ResultStream | undefined) => {
        stream = value;
      },
      enumerable: false,
      configurable: false,
    },
  }) as { stream?: ResultStream };
}
