import { EventsEnded } from './EventBus.js';

/**
 * A subscription field's `resolve` for an event stream of the kit (EventBus, gRPC stream): the
 * event itself, or, for the item that ends a failed stream, its error thrown, so that the
 * subscriber gets one last result with the error at the field, then the end, on every transport.
 */
export function eventOrEnd<T>(item: T | EventsEnded): T {
  if (item instanceof EventsEnded) throw item.error;
  return item;
}
