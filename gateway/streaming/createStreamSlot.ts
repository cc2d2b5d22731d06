import type { ResultStream } from './ResultStream.js';

export interface StreamSlot {
  /** The request's context: `fields`, with a `stream` accessor that reads and writes the slot. */
  contextOf<T extends object>(fields: T): T;
  /** What the executor set as `context.stream`, on whichever copy of the context it ran with. */
  current(): ResultStream | undefined;
}

const holderKey = Symbol('portico.streamSlot');

interface Holder {
  stream: ResultStream | undefined;
}

type Slotted = { [holderKey]?: Holder };

/**
 * One prototype for every request's context. A prototype made per request would cost every
 * request's objects a trip to the old generation: V8 records an object used as a prototype in
 * structures its young-generation collector treats as strong, so each request's context, and
 * all it reaches, outlives every scavenge until the next full collection (docs/performance.md,
 * step 37).
 */
const contextPrototype = Object.create(Object.prototype, {
  stream: {
    get(this: Slotted) {
      return this[holderKey]?.stream;
    },
    set(this: Slotted, value: ResultStream | undefined) {
      const holder = this[holderKey];
      if (holder) holder.stream = value;
    },
    enumerable: false,
  },
}) as object;

/**
 * Where `context.stream` lands for the transport to find. Apollo Server runs each operation with
 * a shallow copy of the context it is given (`cloneObject` in its `internalExecuteOperation`:
 * same prototype, own enumerable fields copied, symbols too), so a field the executor sets on its
 * copy never reaches the transport's object. The copy keeps the prototype and the holder, so
 * `stream` is an accessor there: the executor's `context.stream = …` on any copy fills this
 * request's slot.
 */
export function createStreamSlot(): StreamSlot {
  const holder: Holder = { stream: undefined };
  return {
    contextOf: (fields) => Object.assign(Object.create(contextPrototype) as typeof fields, fields, { [holderKey]: holder }),
    current: () => holder.stream,
  };
}
