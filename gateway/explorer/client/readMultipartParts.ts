/** The `boundary` parameter of a `multipart/mixed` content type; null for any other type or none. */
export function boundaryOf(contentType: string | null): string | null {
  if (!contentType || !/^\s*multipart\/mixed\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary ? boundary : null;
}

/**
 * The JSON body of each part of a `multipart/mixed` answer, each yielded as soon as the delimiter
 * after it has arrived (a part is only whole then): `@defer`'s incremental delivery
 * (`deferSpec=20220824`) and Apollo's multipart subscriptions alike. A part whose body is empty or
 * not JSON is skipped; the closing delimiter ends it. Returning early cancels the body.
 */
export async function* readMultipartParts(body: ReadableStream<Uint8Array>, boundary: string): AsyncGenerator<Record<string, unknown>> {
  const delimiter = `\r\n--${boundary}`;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // A body may open with the delimiter without the line break before it (RFC 2046's first one).
  let buffer = '\r\n';
  let opened = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (let at = buffer.indexOf(delimiter); at >= 0; at = buffer.indexOf(delimiter)) {
        const segment = buffer.slice(0, at);
        buffer = buffer.slice(at + delimiter.length);
        // What comes before the first delimiter is the preamble.
        if (opened) {
          const part = parsePart(segment);
          if (part) yield part;
        }
        opened = true;
        // The closing delimiter (`--` after the boundary): nothing after it is a part.
        if (buffer.startsWith('--')) return;
      }
      if (done) return;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
}

// A segment is the rest of the delimiter's line, the part's headers, a blank line and the body.
function parsePart(segment: string): Record<string, unknown> | null {
  const blank = segment.indexOf('\r\n\r\n');
  const text = (blank >= 0 ? segment.slice(blank + 4) : '').trim();
  if (text === '') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
