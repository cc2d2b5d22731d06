import type { GraphQLError } from 'graphql';

/**
 * Where a subgraph's events go from the resolver that caused them (a mutation) to every
 * subscriber, on this replica and, with Redis, on every other one. One bus per kind of event.
 */
export interface EventBus<T> {
  /** Sends an event to every subscriber of every replica. Resolves once it has left this process. */
  publish(event: T): Promise<void>;
  /**
   * The events published from now on that pass `filter`, until `signal` aborts or the iterator is
   * returned. Each subscriber has a bounded queue (see createEventQueue): one that falls behind is
   * ended with an `EventsEnded` (OVERLOADED) as its last item rather than buffered without limit.
   */
  subscribe(options: SubscribeOptions<T>): AsyncIterableIterator<T | EventsEnded>;
  /** Ends every subscription and releases connections. */
  close(): Promise<void>;
}

export interface SubscribeOptions<T> {
  filter?: (event: T) => boolean;
  signal?: AbortSignal;
}

/**
 * The last item of an event stream that ended on a failure (the subscriber fell too far behind,
 * the backend stream broke): the subscription field's `resolve` throws its error (eventOrEnd),
 * so the subscriber gets one last result with the error at the field, then the end.
 */
export class EventsEnded {
  constructor(readonly error: GraphQLError) {}
}
