import { formatStreamItem, type FormatError } from './formatStreamItem.js';
import type { ResultStream } from './ResultStream.js';

// A subscription event is one object shared by every client of its result group (see
// createResultGroup), never changed once finished, and formatting is the same for all of them
// (one `formatError` per gateway): so its JSON is made once per event and formatting, and each
// client only frames it. Weak on both keys: the text goes when the event (or the gateway) does.
const serialized = new WeakMap<FormatError, WeakMap<object, string>>();

/**
 * One item of a stream as the JSON text of the client's payload: `JSON.stringify` of
 * `formatStreamItem`, made once per subscription event and `formatError` and shared by every
 * client that gets it (a deferred part is one client's: made each time). Throws as
 * `JSON.stringify` does (a value it cannot serialise); nothing is kept then.
 */
export function serializeStreamItem(stream: ResultStream, item: unknown, formatError: FormatError): string {
  if (stream.kind !== 'subscription' || typeof item !== 'object' || item === null) return JSON.stringify(formatStreamItem(stream, item, formatError));
  let byEvent = serialized.get(formatError);
  if (byEvent === undefined) {
    byEvent = new WeakMap();
    serialized.set(formatError, byEvent);
  }
  let text = byEvent.get(item);
  if (text === undefined) {
    text = JSON.stringify(formatStreamItem(stream, item, formatError));
    byEvent.set(item, text);
  }
  return text;
}
