import type { ApolloServerPlugin, HTTPGraphQLRequest } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Logger } from '../../common/createLogger.js';
import type { GatewayContext } from '../GatewayContext.js';

export interface FinishedRequest {
  requestId: string;
  /** The request's trace, for GraphQL requests. */
  traceId?: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** The request as handed to Apollo Server, when it got that far. */
  graphQLRequest?: HTTPGraphQLRequest;
  /** What the client was told, for failures no plugin saw (HTTP-level refusals). */
  clientErrors?: readonly { message: string; code?: unknown }[];
}

export interface FailedRequestLog {
  /** Collects the GraphQL errors of each request, before they are masked. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Logs one warn line when the request failed: status ≥ 400 or any GraphQL error. */
  finish(request: FinishedRequest): void;
}

interface LoggedError {
  message: string;
  code?: unknown;
  serviceName?: unknown;
  path?: readonly (string | number)[];
  stack?: string;
}

/**
 * One log line per failed request, with the errors as they really were: the log is where a
 * masked `Internal server error` can be traced back to its cause.
 */
export function createFailedRequestLog(logger: Logger): FailedRequestLog {
  // Keyed by the request object Apollo Server passes back to plugins as `request.http`.
  const errorsByRequest = new WeakMap<HTTPGraphQLRequest, LoggedError[]>();

  return {
    plugin: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ request, errors }) {
            if (!request.http) return;
            const logged = errorsByRequest.get(request.http) ?? [];
            logged.push(...errors.map(toLoggedError));
            errorsByRequest.set(request.http, logged);
          },
        };
      },
    },

    finish({ graphQLRequest, clientErrors, ...request }) {
      const errors = (graphQLRequest && errorsByRequest.get(graphQLRequest)) ?? clientErrors ?? [];
      if (request.status < 400 && errors.length === 0) return;
      logger.warn({ ...request, errors }, `${request.method} ${request.path} failed (${request.status})`);
    },
  };
}

/** The parts of an error worth a log line; the stack only for errors nobody coded. */
function toLoggedError(error: GraphQLError): LoggedError {
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
