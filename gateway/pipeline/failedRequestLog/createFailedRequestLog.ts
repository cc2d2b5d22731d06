import type { GraphQLError } from 'graphql';
import type { Logger } from '../../../common/createLogger.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { Feature, ProducedError } from '../Feature.js';

interface LoggedError {
  message: string;
  code?: unknown;
  serviceName?: unknown;
  path?: readonly (string | number)[];
  stack?: string;
}

/**
 * One warn line per failed request (status ≥ 400 or any GraphQL error), with the errors as the
 * gateway produced them, before Apollo Server formatted them: the log is where a masked
 * `Internal server error` can be traced back to its cause.
 */
export function createFailedRequestLog(logger: Logger): Feature {
  return {
    name: 'failedRequestLog',
    finish(request) {
      const produced = request.errors ?? [];
      const errors = produced.length > 0 ? produced.map(toLoggedError) : request.unseenAnswer !== undefined ? errorsIn(request.unseenAnswer) : [];
      if (request.status < 400 && errors.length === 0) return;
      const { requestId, traceId, method, path, status, durationMs } = request;
      logger.warn({ status, requestId, traceId, method, path, durationMs, errors }, `${method} ${path} failed (${status})`);
    },
  };
}

/** The parts of an error worth a log line; the stack only for errors nobody coded. */
function toLoggedError(error: ProducedError): LoggedError {
  if (error instanceof HttpError) return { message: error.message, code: error.code };
  return toLoggedGraphQLError(error);
}

function toLoggedGraphQLError(error: GraphQLError): LoggedError {
  const code = error.extensions.code;
  const cause = error.originalError;
  return {
    message: error.message,
    ...(code === undefined ? {} : { code }),
    ...(error.extensions.serviceName === undefined ? {} : { serviceName: error.extensions.serviceName }),
    ...(error.path ? { path: error.path } : {}),
    ...(code === undefined || code === 'INTERNAL_SERVER_ERROR' ? { stack: (cause ?? error).stack } : {}),
  };
}

/** The errors of a JSON answer Apollo Server wrote itself, before any plugin ran. */
function errorsIn(answer: string): LoggedError[] {
  try {
    const parsed = JSON.parse(answer) as { errors?: { message: string; extensions?: { code?: unknown } }[] };
    return (parsed.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code }));
  } catch {
    return [];
  }
}
