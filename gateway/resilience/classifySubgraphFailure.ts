import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';

/** What one failed attempt says about the subgraph. */
export type SubgraphHealth = 'unhealthy' | 'healthy' | 'unknown';

export interface SubgraphFailure {
  /** What the client is told: a code, the service name, never a stack or an address. */
  error: GraphQLError;
  /** Another attempt may succeed, and sending one twice is harmless for a query. */
  retryable: boolean;
  /** For the circuit breaker: unreachable, timed out and 5xx count against the subgraph. */
  health: SubgraphHealth;
}

// Statuses a proxy or a restarting subgraph gives for a request it did not process.
const UNAVAILABLE_STATUSES = new Set([502, 503]);

/**
 * Why an attempt to call a subgraph produced no GraphQL answer, as an error the client may see,
 * and whether it is worth retrying. `timeoutMs` is the time the attempt was given.
 */
/** A subgraph answered with a status outside 2xx. */
export class SubgraphHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'SubgraphHttpError';
  }
}

// Errors (by `code`) of a connection that could not be made or broke before an answer came.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * Why an attempt to call a subgraph produced no GraphQL answer, as an error the client may see,
 * and whether it is worth retrying. `timeoutMs` is the time the attempt was given.
 */
export function classifySubgraphFailure(error: unknown, serviceName: string, timeoutMs: number): SubgraphFailure {
  const subgraph = `Subgraph "${serviceName}"`;
  const coded = (code: ErrorCode, message: string, cause: Error) =>
    new GraphQLError(message, { originalError: cause, extensions: { code, serviceName } });

  if (error instanceof SubgraphHttpError) {
    const { status } = error;
    const message = `${subgraph} responded with HTTP ${status}`;
    if (status === 401) return { error: coded(ErrorCode.UNAUTHENTICATED, message, error), retryable: false, health: 'healthy' };
    if (status === 403) return { error: coded(ErrorCode.FORBIDDEN, message, error), retryable: false, health: 'healthy' };
    if (UNAVAILABLE_STATUSES.has(status)) return { error: coded(ErrorCode.SUBGRAPH_UNAVAILABLE, message, error), retryable: true, health: 'unhealthy' };
    if (status === 504) return { error: coded(ErrorCode.SUBGRAPH_TIMEOUT, message, error), retryable: true, health: 'unhealthy' };
    return { error: coded(ErrorCode.SUBGRAPH_ERROR, message, error), retryable: false, health: status >= 500 ? 'unhealthy' : 'healthy' };
  }
  if (isGraphQLError(error) && typeof error.extensions.code === 'string') {
    const passed = new GraphQLError(error.message, { originalError: error, extensions: { ...error.extensions, serviceName } });
    return { error: passed, retryable: false, health: 'unknown' };
  }

  const cause = error instanceof Error ? error : new Error(String(error));
  if (cause.name === 'TimeoutError') {
    // Not retried: the time the request could spend on this subgraph is spent.
    return { error: coded(ErrorCode.SUBGRAPH_TIMEOUT, `${subgraph} did not answer within ${timeoutMs} ms`, cause), retryable: false, health: 'unhealthy' };
  }
  if (cause.name === 'AbortError') {
    const message = `The request to ${subgraph} was cancelled because the client went away`;
    return { error: coded(ErrorCode.SUBGRAPH_ERROR, message, cause), retryable: false, health: 'unknown' };
  }
  const errno = (cause as NodeJS.ErrnoException).code;
  if (errno !== undefined && UNREACHABLE_CODES.has(errno)) {
    return { error: coded(ErrorCode.SUBGRAPH_UNAVAILABLE, `${subgraph} could not be reached (${errno})`, cause), retryable: true, health: 'unhealthy' };
  }
  return { error: coded(ErrorCode.SUBGRAPH_ERROR, `${subgraph} did not send a valid GraphQL response`, cause), retryable: false, health: 'unhealthy' };
}

// @apollo/gateway is CommonJS and loads graphql's CommonJS build, whose GraphQLError is another
// class than the one this ES module imports, so `instanceof` would miss its errors.
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && typeof (error as GraphQLError).extensions === 'object';
}
