import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers } from '../../common/headers.js';
import { decodeIdentity } from '../../common/identityHeader.js';
import type { Logger } from '../../common/createLogger.js';
import { HttpError } from '../../common/http/HttpError.js';
import { resolveRequestId } from '../../common/http/resolveRequestId.js';
import type { ServerSpan } from '../../common/tracing/startServerSpan.js';
import type { Viewer } from '../../common/Viewer.js';

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
  /** A logger that tags every line with the request id and the trace id. */
  logger: Logger;
  /** The W3C `traceparent` for backend calls: this subgraph's span for the request is their parent. */
  traceparent?: string;
}

/**
 * Builds a request's scope from its headers. The identity headers are read only when `signed`:
 * the gateway's signature is the one thing that makes them trustworthy.
 */
export function requestScopeOf(
  req: IncomingMessage,
  signal: AbortSignal,
  logger: Logger,
  signed: boolean,
  trace?: Pick<ServerSpan, 'traceId' | 'traceparent'>,
): RequestScope {
  const requestId = resolveRequestId(req.headers[Headers.requestId]);
  const deadlineAt = deadlineOf(req.headers[Headers.deadline]);
  return {
    requestId,
    signal,
    viewer: signed ? viewerOf(req) : null,
    logger: logger.child(trace ? { requestId, traceId: trace.traceId } : { requestId }),
    ...(trace ? { traceparent: trace.traceparent } : {}),
    ...(deadlineAt === undefined ? {} : { deadlineAt }),
  };
}

// A header that is not a plain count of milliseconds is ignored rather than refused: the
// subgraph's own backend timeouts still bound the request.
function deadlineOf(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,9}$/.test(header)) return undefined;
  return Date.now() + Number(header);
}

// The identity header is header-safe JSON (common/identityHeader.ts), so a subject or claim in
// any script, with any character, arrives exactly as the identity provider issued it.
function viewerOf(req: IncomingMessage): Viewer | null {
  const header = req.headers[Headers.identity];
  if (header === undefined) return null;
  const decoded = typeof header === 'string' ? decodeIdentity(header) : { ok: false as const, reason: 'is repeated' };
  if (!decoded.ok) throw new HttpError(ErrorCode.BAD_REQUEST, `The ${Headers.identity} header ${decoded.reason}.`);
  const { sub, scopes, claims } = decoded.identity;
  return { subject: sub, scopes, claims };
}
