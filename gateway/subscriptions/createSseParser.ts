/**
 * Reads a `text/event-stream` body chunk by chunk and calls `onEvent` with each event's name and
 * data (its `data:` lines joined). Comments (`:` heartbeats) are skipped. Returns false once the
 * unfinished event grows past `maxBytes` characters (the stream is then to be dropped).
 */
export function createSseParser(onEvent: (event: string, data: string) => void, maxBytes: number): (chunk: string) => boolean {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  return (chunk) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length > 0 || event !== '') onEvent(event || 'message', data.join('\n'));
        event = '';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      newline = buffer.indexOf('\n');
    }
    return buffer.length + data.reduce((sum, line) => sum + line.length, 0) <= maxBytes;
  };
}
