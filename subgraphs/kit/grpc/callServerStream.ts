import * as grpc from '@grpc/grpc-js';
import { Headers } from '../../../common/headers.js';
import { TRACEPARENT } from '../../../common/tracing/startServerSpan.js';
import { createEventQueue, defaultEventQueueCapacity } from '../events/createEventQueue.js';
import type { EventsEnded } from '../events/EventBus.js';
import type { CallOptions } from '../rest/createRestClient.js';
import { errorForStatus } from './callUnary.js';

export interface ServerStreamOptions extends CallOptions {
  /** The backend's name, as errors show it (e.g. `inventory`). */
  backend: string;
  /** The method's name, for error messages. */
  method: string;
  /**
   * Messages buffered for a reader that is slower than the backend; past it the stream is
   * cancelled and ends with OVERLOADED.
   * @default 1000
   */
  capacity?: number;
}

/** Starts one server-streaming call on a generated client with what `callServerStream` prepared. */
export type StartServerStream<Response> = (metadata: grpc.Metadata) => grpc.ClientReadableStream<Response>;

/**
 * A gRPC server stream as an async iterator, for a subscription's `subscribe` (protocol
 * translation: a backend stream becomes a GraphQL subscription). The call has no deadline (it
 * lasts as long as its subscriber) but carries the request id and trace context, and is
 * cancelled when `signal` aborts or the iterator is returned. Messages wait in a bounded queue;
 * a failed call ends the iterator with its error as an `EventsEnded` item, translated from its
 * status as unary calls are.
 */
export function callServerStream<Response>(start: StartServerStream<Response>, options: ServerStreamOptions): AsyncIterableIterator<Response | EventsEnded> {
  const metadata = new grpc.Metadata();
  if (options.requestId) metadata.set(Headers.requestId, options.requestId);
  if (options.traceparent) metadata.set(TRACEPARENT, options.traceparent);
  const call = start(metadata);
  let cancelled = false;
  const onAbort = () => queue.end();
  const queue = createEventQueue<Response>(options.capacity ?? defaultEventQueueCapacity, () => {
    options.signal?.removeEventListener('abort', onAbort);
    // Whatever ended the queue (the reader, an overflow, the call itself), the call is over.
    if (!cancelled) {
      cancelled = true;
      call.cancel();
    }
  });
  call.on('data', (message: Response) => queue.push(message));
  call.on('end', () => queue.end());
  call.on('error', (error: grpc.ServiceError) => {
    if (cancelled && error.code === grpc.status.CANCELLED) return;
    queue.fail(errorForStatus(error, { backend: options.backend, method: options.method, timeoutMs: 0 }));
  });
  if (options.signal?.aborted) queue.end();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return queue.iterator;
}
