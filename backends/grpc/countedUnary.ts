import * as grpc from '@grpc/grpc-js';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Logger } from '../../common/createLogger.js';
import { Headers } from '../../common/headers.js';
import { startServerSpan, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import type { CallCounter } from '../shared/createCallCounter.js';
import { GrpcError } from './GrpcError.js';

export interface UnaryContext {
  counter: CallCounter;
  logger: Logger;
}

/**
 * Turns a plain function (request in, response out, `GrpcError` for a status) into a grpc-js
 * unary handler that counts the call under `method`, logs the caller's request id and trace id,
 * continues the caller's trace with a span, and hides unexpected errors behind INTERNAL.
 * Handlers stay free of callback plumbing.
 */
export function countedUnary<Req, Res>(method: string, handle: (request: Req) => Res, context: UnaryContext): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    context.counter.record(method);
    const requestId = call.metadata.get(Headers.requestId)[0];
    const hop = startServerSpan({
      tracer: 'portico-backend',
      name: method,
      traceparent: call.metadata.get(TRACEPARENT)[0]?.toString(),
      attributes: { 'rpc.system': 'grpc', 'rpc.method': method },
    });
    context.logger.debug({ requestId: requestId?.toString(), traceId: hop.traceId, method }, 'call');
    let response: Res;
    try {
      response = handle(call.request);
    } catch (error) {
      hop.span.setStatus({ code: SpanStatusCode.ERROR });
      hop.span.end();
      if (error instanceof GrpcError) {
        callback({ code: error.code, details: error.message });
        return;
      }
      context.logger.error({ err: error, method }, 'unexpected error');
      callback({ code: grpc.status.INTERNAL, details: 'internal error' });
      return;
    }
    hop.span.end();
    callback(null, response);
  };
}
