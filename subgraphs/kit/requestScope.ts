import type { IncomingMessage } from 'node:http';
import { Headers } from '../../common/headers.js';
import type { Logger } from '../../common/createLogger.js';
import { resolveRequestId } from '../../common/http/resolveRequestId.js';

/** Who is asking, as the gateway established it. */
export interface Viewer {
  id: string;
}

/** What every subgraph's per-request context starts from. */
export interface RequestScope {
  /** The id that ties this request's log lines together at every hop. */
  requestId: string;
  /** Aborted when the caller goes away; pass it to every backend call. */
  signal: AbortSignal;
  /**
   * When the gateway stops waiting for this request (epoch ms, from its
   * `x-portico-deadline-ms`); backend calls end by then. Undefined when the caller set none.
   */
  deadlineAt?: number;
  /** The caller; null for an anonymous request. */
  viewer: Viewer | null;
  /** A logger that tags every line with the request id. */
  logger: Logger;
}

/** Builds a request's scope from its headers. */
export function requestScopeOf(req: IncomingMessage, signal: AbortSignal, logger: Logger): RequestScope {
  const requestId = resolveRequestId(req.headers[Headers.requestId]);
  const subject = req.headers[Headers.subject];
  const viewer = typeof subject === 'string' && subject !== '' ? { id: subject } : null;
  const deadlineAt = deadlineOf(req.headers[Headers.deadline]);
  return { requestId, signal, viewer, logger: logger.child({ requestId }), ...(deadlineAt === undefined ? {} : { deadlineAt }) };
}

// A header that is not a plain count of milliseconds is ignored rather than refused: the
// subgraph's own backend timeouts still bound the request.
function deadlineOf(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,9}$/.test(header)) return undefined;
  return Date.now() + Number(header);
}
