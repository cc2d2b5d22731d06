/** Told when a signal aborts: a function, or an object with `handleEvent` (as `EventTarget` takes). */
export type AbortListener = (() => void) | { handleEvent(): void };

/**
 * What the gateway reads of a cancellation: whether it happened, why, and a way to be told. An
 * `AbortSignal` is one (a WebSocket operation's); so is a `Cancellation`. Only `abort` events
 * are listened to.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: AbortListener): void;
}

/**
 * An `AbortController` and its signal in one plain object, for what is cancelled once per
 * request (a client going away, a shared subgraph run every caller left). Node 20 makes each
 * `AbortSignal` an `EventTarget` and then sets its prototype; made per request, those signals
 * outlived V8's young-generation collections with everything their listeners reach, so every
 * request's objects were promoted to the old generation (docs/performance.md, step 37). Nothing
 * here hands it to an API that needs a real `AbortSignal`.
 */
export class Cancellation implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: AbortListener[] = [];

  addEventListener(_type: 'abort', listener: AbortListener): void {
    // As an `AbortSignal`, which dispatches its abort once: every listener is told at most once.
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: AbortListener): void {
    const at = this.listeners.indexOf(listener);
    if (at !== -1) this.listeners.splice(at, 1);
  }

  /** Cancels: its listeners are told, in the order they listened. `reason` defaults to an `AbortError`, as `AbortController`'s does. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) {
      if (typeof listener === 'function') listener();
      else listener.handleEvent();
    }
  }
}
