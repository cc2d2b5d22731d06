import type { StreamEnd } from '../../common/http/writeStreamed.js';
import type { GatewayMetrics, StreamTransport } from '../metrics/createGatewayMetrics.js';

/** The streaming answers over HTTP: SSE and multipart subscription streams, multipart `@defer` answers. */
export type HttpStreamTransport = Exclude<StreamTransport, 'websocket'>;

/** Counts one answer while it streams: call the function it returns, once, when it has ended and how. */
export type OpenStream = (transport: HttpStreamTransport, operation: boolean) => (end: StreamEnd) => void;

/** Why an HTTP stream ended, as `portico_subscription_connection_closes_total{reason}` counts it. */
const REASON: Record<StreamEnd, string> = { complete: 'complete', client: 'client', too_slow: 'too_slow', failed: 'internal_error' };

/**
 * The open HTTP streams of each transport, for `/metrics` (the WebSocket transport counts its own):
 * `portico_subscription_connections{transport}` each open stream (over HTTP a stream is its
 * request's connection, held for it alone), `portico_streaming_operations_active{transport}` those
 * that deliver a subscription's events or `@defer` parts (over SSE an operation that answers once
 * is one event, no operation), and `portico_subscription_connection_closes_total` each end, by why.
 * Every transport the gateway speaks is reported from the start, at 0. Ending twice counts once.
 */
export function createHttpStreamCounter(metrics: GatewayMetrics | undefined): OpenStream {
  const open = new Map<HttpStreamTransport, { connections: number; operations: number }>();
  for (const transport of ['sse', 'multipart', 'multipart_defer'] as const) {
    const state = { connections: 0, operations: 0 };
    open.set(transport, state);
    metrics?.observeStreamTransport(transport, () => ({ ...state }));
  }
  return (transport, operation) => {
    const state = open.get(transport)!;
    state.connections += 1;
    if (operation) state.operations += 1;
    let ended = false;
    return (end) => {
      if (ended) return;
      ended = true;
      state.connections -= 1;
      if (operation) state.operations -= 1;
      metrics?.streamConnectionCloses.inc({ transport, reason: REASON[end] });
    };
  };
}
