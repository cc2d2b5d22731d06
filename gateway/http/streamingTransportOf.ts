/** A transport over HTTP that delivers several results to one request. */
export type StreamingTransport = 'sse' | 'multipart';

/**
 * The streaming transport a request's `Accept` asks for: GraphQL over SSE (`text/event-stream`)
 * or Apollo's multipart subscriptions (`multipart/mixed` with a `subscriptionSpec` parameter);
 * null for anything else (`@defer`'s `multipart/mixed;deferSpec=…` is answered elsewhere).
 */
export function streamingTransportOf(accept: string | undefined): StreamingTransport | null {
  if (!accept) return null;
  // Bounded: Node caps a header, and nothing here is more than a scan of it.
  // A range refused with `q=0` is not asked for.
  const types = accept
    .toLowerCase()
    .split(',')
    .map((type) => type.trim())
    .filter((type) => !/;\s*q\s*=\s*0(\.0*)?\s*(;|$)/.test(type));
  if (types.some((type) => type.startsWith('text/event-stream'))) return 'sse';
  if (types.some((type) => type.startsWith('multipart/mixed') && /;\s*subscriptionspec\s*=/.test(type))) return 'multipart';
  return null;
}
