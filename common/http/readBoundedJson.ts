/**
 * A fetched answer's body parsed as a JSON object, or `{}` when it is not one or is over
 * `maxBytes`: by its `content-length`, before any of it is read, or once that many bytes have
 * come. An answer over the limit is not read further: its stream is cancelled, which closes the
 * connection. For the small answers the gateway reads from a peer it does not trust to be well
 * behaved (a subgraph's refusal of a subscription, its answer to a readiness probe), where
 * whatever the peer streams would otherwise be held whole.
 */
export async function readBoundedJson(response: Response, maxBytes: number): Promise<Record<string, unknown>> {
  const body = response.body;
  if (!body) return {};
  if (Number(response.headers.get('content-length') ?? Number.NaN) > maxBytes) {
    await body.cancel().catch(() => {});
    return {};
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Leaving the loop early (over the limit) cancels the stream.
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > maxBytes) return {};
      chunks.push(chunk);
    }
    const parsed: unknown = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
