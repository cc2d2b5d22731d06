/**
 * A `next` message with `payload` already JSON: byte for byte what
 * `JSON.stringify({ id, type: 'next', payload })` gives, so that a payload serialised once can
 * go to every client with only its own id around it. The id is the client's: always encoded.
 */
export function nextMessage(id: string, payloadJson: string): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":${payloadJson}}`;
}
