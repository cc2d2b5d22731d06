import type { ResultStream } from './ResultStream.js';

export interface StreamSlot {
  /** The prototype of the request's context: its `stream` accessor reads and writes the slot. */
  readonly prototype: object;
  /** What the executor set as `context.stream`, on whichever copy of the context it ran with. */
  current(): ResultStream | undefined;
}

/**
 * Where `context.stream` lands for the transport to find. Apollo Server runs each operation with
 * a shallow copy of the context it is given (`cloneObject` in its `internalExecuteOperation`:
 * same prototype, own fields copied), so a field the executor sets on its copy never reaches
 * the transport's object. The copy keeps the prototype, so `stream` is an accessor there: the
 * executor's `context.stream = …` on any copy fills this request's slot.
 */
export function createStreamSlot(): StreamSlot {
  let stream: ResultStream | undefined;
  const prototype = Object.create(Object.prototype, {
    stream: {
      get: () => stream,
      set: (value: ResultStream | undefined) => {
        stream = value;
      },
      enumerable: false,
    },
  }) as object;
  return { prototype, current: () => stream };
}
