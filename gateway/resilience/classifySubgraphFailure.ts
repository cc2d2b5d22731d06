import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { isGraphQLError } from '../errors/isGraphQLError.js';

/** What one failed attempt says about the subgraph. */
export type SubgraphHealth = 'unhealthy' | 'healthy' | 'unknown';

export interface SubgraphFailure {
  /** What the client is told: a code, the service name, never a stack or an address. */
  error: GraphQLError;
  /** Another attempt may succeed, and sending one twice is harmless for a query. */
  retryable: boolean;
  /**
   * For the circuit breaker: only a failure positively attributable to the subgraph (it could
   * not be reached, timed out, broke the connection, answered 5xx or an invalid body) is
   * `unhealthy`; a failure the caller or the gateway itself caused (an answer over the size
   * limit among them: the caller's operation decides its size) is `unknown` and never counts,
   * so that no caller can open a subgraph's breaker for everyone.
   */
  health: SubgraphHealth;
}

/** A subgraph answered with a status outside 2xx. */
export class SubgraphHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'SubgraphHttpError';
  }
}

/** A subgraph answered 2xx with a body that is not a GraphQL response. */
export class InvalidSubgraphAnswer extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`invalid answer: ${reason}`, options);
    this.name = 'InvalidSubgraphAnswer';
  }
}

/**
 * A subgraph's answer (its `content-length`, or its bytes as they came) went past
 * `maxResponseBytes`: the request was aborted there and nothing more of it read.
 */
export class SubgraphAnswerTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`answer over ${limit} bytes`);
    this.name = 'SubgraphAnswerTooLarge';
  }
}

// Statuses a proxy or a restarting subgraph gives for a request it did not process.
const UNAVAILABLE_STATUSES = new Set([502, 503]);

// Errors (by `code`) that only the subgraph's side can cause: the connection could not be made,
// or the peer broke it before a whole answer came. This is an allow-list on purpose: an error
// that is not here (an invalid header value undici refused, a TypeError, a closed pool during a
// reload) happened in the gateway, before or without the subgraph's part, and tells nothing of
// its health.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
// The subgraph was reached but its answer could not be read: too slow or malformed.
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
// (And undici's HTTPParserError, llhttp's verdict on bytes that are not HTTP.)
const MALFORMED_ANSWER_CODES = new Set(['UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_RES_EXCEEDED_MAX_SIZE']);

/**
 * Why an attempt to call a subgraph produced no GraphQL answer, as an error the client may see,
 * whether it is worth retrying, and whether it counts against the subgraph's health.
 * `timeoutMs` is the time the attempt was given; `subgraphTimeoutMs` the subgraph's own timeout (a timeout counts
 * against the subgraph only when the attempt had all of it).
 */
export function classifySubgraphFailure(error: unknown, serviceName: string, timeoutMs: number, subgraphTimeoutMs = timeoutMs): SubgraphFailure {
  const subgraph = `Subgraph "${serviceName}"`;
  const coded = (code: ErrorCode, message: string, cause: Error) => new GraphQLError(message, { originalError: cause, extensions: { code, serviceName } });

  if (error instanceof SubgraphHttpError) {
    const { status } = error;
    const message = `${subgraph} responded with HTTP ${status}`;
    if (status === 401) return { error: coded(ErrorCode.UNAUTHENTICATED, message, error), retryable: false, health: 'healthy' };
    if (status === 403) return { error: coded(ErrorCode.FORBIDDEN, message, error), retryable: false, health: 'healthy' };
    if (UNAVAILABLE_STATUSES.has(status)) return { error: coded(ErrorCode.SUBGRAPH_UNAVAILABLE, message, error), retryable: true, health: 'unhealthy' };
    if (status === 504) return { error: coded(ErrorCode.SUBGRAPH_TIMEOUT, message, error), retryable: true, health: 'unhealthy' };
    return { error: coded(ErrorCode.SUBGRAPH_ERROR, message, error), retryable: false, health: status >= 500 ? 'unhealthy' : 'healthy' };
  }
  if (error instanceof InvalidSubgraphAnswer) {
    return { error: coded(ErrorCode.SUBGRAPH_ERROR, `${subgraph} did not send a valid GraphQL response`, error), retryable: false, health: 'unhealthy' };
  }
  if (error instanceof SubgraphAnswerTooLarge) {
    // Not retried: the same request would get as large an answer. Not the subgraph's health
    // either: a caller decides an answer's size (lists, aliases of long fields), so counting it
    // would let one caller open the breaker for everyone.
    return { error: coded(ErrorCode.SUBGRAPH_ERROR, `${subgraph} sent an answer over the gateway's size limit`, error), retryable: false, health: 'unknown' };
  }
  if (isGraphQLError(error) && typeof error.extensions.code === 'string') {
    const passed = new GraphQLError(error.message, { originalError: error, extensions: { ...error.extensions, serviceName } });
    return { error: passed, retryable: false, health: 'unknown' };
  }

  const cause = error instanceof Error ? error : new Error(String(error));
  if (cause.name === 'TimeoutError') {
    // Not retried: the time the request could spend on this subgraph is spent.
    // Only a subgraph that had its whole timeout is slow: an attempt the request's own deadline
    // cut short (the time went to other subgraphs, or a query's own waiting) says nothing of it.
    const health = timeoutMs >= subgraphTimeoutMs ? 'unhealthy' : 'unknown';
    return { error: coded(ErrorCode.SUBGRAPH_TIMEOUT, `${subgraph} did not answer within ${timeoutMs} ms`, cause), retryable: false, health };
  }
  if (cause.name === 'AbortError') {
    const message = `The request to ${subgraph} was cancelled because the client went away`;
    return { error: coded(ErrorCode.SUBGRAPH_ERROR, message, cause), retryable: false, health: 'unknown' };
  }
  const errno = (cause as NodeJS.ErrnoException).code;
  if (errno !== undefined && UNREACHABLE_CODES.has(errno)) {
    return { error: coded(ErrorCode.SUBGRAPH_UNAVAILABLE, `${subgraph} could not be reached (${errno})`, cause), retryable: true, health: 'unhealthy' };
  }
  if (errno !== undefined && TIMEOUT_CODES.has(errno)) {
    return { error: coded(ErrorCode.SUBGRAPH_TIMEOUT, `${subgraph} did not answer in time (${errno})`, cause), retryable: false, health: 'unhealthy' };
  }
  if ((errno !== undefined && MALFORMED_ANSWER_CODES.has(errno)) || cause.name === 'HTTPParserError') {
    return {
      error: coded(ErrorCode.SUBGRAPH_ERROR, `${subgraph} did not send a valid HTTP response (${errno})`, cause),
      retryable: false,
      health: 'unhealthy',
    };
  }
  // Anything else happened in the gateway (undici refused an argument, a TypeError, a pool
  // closed by a reload): the gateway's own fault, masked as internal, and the breaker untouched.
  return { error: coded(ErrorCode.INTERNAL_SERVER_ERROR, `The gateway could not send its request to ${subgraph}`, cause), retryable: false, health: 'unknown' };
}
