import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../common/createLogger.js';
import { Headers } from '../../common/headers.js';
import type { CallCounter } from '../shared/createCallCounter.js';
import { GrpcError } from './GrpcError.js';

export interface UnaryContext {
  counter: CallCounter;
  logger: Logger;
}

/**
 * Turns a plain function (request in, response out, `GrpcError` for a status) into a grpc-js
 * unary handler that counts the call under `method`, logs the caller's request id, and hides
 * unexpected errors behind INTERNAL. Handlers stay free of callback plumbing.
 */
export function countedUnary<Req, Res>(
  method: string,
  handle: (request: Req) => Res,
  context: UnaryContext,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    context.counter.record(method);
    const requestId = call.metadata.get(Headers.requestId)[0];
    context.logger.debug({ requestId: requestId?.toString(), method }, 'call');
    let response: Res;
    try {
      response = handle(call.request);
    } catch (error) {
      if (error instanceof GrpcError) {
        callback({ code: error.code, details: error.message });
        return;
      }
      context.logger.error({ err: error, method }, 'unexpected error');
      callback({ code: grpc.status.INTERNAL, details: 'internal error' });
      return;
    }
    callback(null, response);
  };
}
