import * as grpc from '@grpc/grpc-js';
import { ErrorCode } from '../../../common/errorCodes.js';
import { Headers } from '../../../common/headers.js';
import { TRACEPARENT } from '../../../common/tracing/startServerSpan.js';
import { backendError } from '../backendError.js';
import { callTimeoutMs, type CallOptions } from '../rest/createRestClient.js';

export interface UnaryCallOptions extends CallOptions {
  /** The backend's name, as errors show it (e.g. `catalog`). */
  backend: string;
  /** The method's name, for error messages. */
  method: string;
  /** Deadline for the call. */
  timeoutMs: number;
}

/** Starts one unary call on a generated client with what `callUnary` prepared. */
export type StartUnaryCall<Response> = (metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<Response>) => grpc.ClientUnaryCall;

/**
 * Runs one unary gRPC call with a deadline, the request id and trace context in metadata, and cancellation when
 * the client goes away; a failed call becomes a GraphQL error with a code from its status.
 */
export function callUnary<Response>(start: StartUnaryCall<Response>, options: UnaryCallOptions): Promise<Response> {
  const metadata = new grpc.Metadata();
  if (options.requestId) metadata.set(Headers.requestId, options.requestId);
  if (options.traceparent) metadata.set(TRACEPARENT, options.traceparent);
  const allowedMs = callTimeoutMs(options.timeoutMs, options);
  const deadline = new Date(Date.now() + allowedMs);

  return new Promise((resolve, reject) => {
    const call = start(metadata, { deadline }, (error, response) => {
      options.signal?.removeEventListener('abort', cancel);
      if (error) reject(errorForStatus(error, { ...options, timeoutMs: allowedMs }));
      else if (response === undefined)
        reject(backendError(ErrorCode.BACKEND_ERROR, options.backend, `${options.backend}.${options.method} returned no message.`));
      else resolve(response);
    });
    function cancel() {
      call.cancel();
    }
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener('abort', cancel, { once: true });
  });
}

/**
 * The GraphQL error for a failed gRPC call (unary or stream). Statuses that mean the caller asked
 * for something wrong keep the backend's explanation; the others are the backend's internals and
 * only their status is told.
 */
export function errorForStatus(error: grpc.ServiceError, { backend, method, timeoutMs }: Pick<UnaryCallOptions, 'backend' | 'method' | 'timeoutMs'>) {
  switch (error.code) {
    case grpc.status.NOT_FOUND:
      return backendError(ErrorCode.NOT_FOUND, backend, error.details);
    case grpc.status.INVALID_ARGUMENT:
    case grpc.status.OUT_OF_RANGE:
    case grpc.status.FAILED_PRECONDITION:
    case grpc.status.ALREADY_EXISTS:
      return backendError(ErrorCode.BAD_USER_INPUT, backend, error.details);
    case grpc.status.UNAUTHENTICATED:
      return backendError(ErrorCode.UNAUTHENTICATED, backend, error.details);
    case grpc.status.PERMISSION_DENIED:
      return backendError(ErrorCode.FORBIDDEN, backend, error.details);
    case grpc.status.DEADLINE_EXCEEDED:
      return backendError(ErrorCode.BACKEND_TIMEOUT, backend, `${backend}.${method} did not answer within ${timeoutMs} ms.`);
    case grpc.status.CANCELLED:
      return backendError(ErrorCode.BACKEND_TIMEOUT, backend, `The call to ${backend}.${method} was cancelled.`);
    case grpc.status.UNAVAILABLE:
      return backendError(ErrorCode.BACKEND_UNAVAILABLE, backend, `The ${backend} service is unavailable.`);
    default:
      return backendError(ErrorCode.BACKEND_ERROR, backend, `${backend}.${method} failed with gRPC status ${grpc.status[error.code] ?? error.code}.`);
  }
}
