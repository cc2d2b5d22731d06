import { EventEmitter } from 'node:events';
import { context as otelContext, trace } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import { signRequest } from '../../common/signing/signRequest.js';
import { formatTraceparent, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import { classifySubgraphFailure, SubgraphHttpError, type SubgraphFailure } from '../resilience/classifySubgraphFailure.js';

/** One HTTP attempt at a subgraph request. */
export interface Attempt {
  /** The GraphQL request, serialised once: it is what the signature covers. */
  body: string;
  /** What the subgraph is told of the caller (identity, passed-on headers). */
  headers: Readonly<Record<string, string>>;
  requestId: string;
  /** When the client request gives up (epoch ms): no attempt outlives it. */
  deadlineAt: number;
  /** Sent when no recorded span is active. */
  traceparent: string | undefined;
  /** Aborts the attempt (the client went away, or every caller of a shared request did). */
  signal: AbortSignal | undefined;
}

/** The body of a 2xx answer as text, or why there is none, classified. */
export type AttemptOutcome = { ok: true; raw: string } | { ok: false; failure: SubgraphFailure };

/** Makes one attempt; never rejects. */
export type SendAttempt = (attempt: Attempt) => Promise<AttemptOutcome>;

export interface SubgraphSenderOptions {
  /** The subgraph's name: it signs the audience, and errors carry it as `serviceName`. */
  name: string;
  url: string;
  /** The longest one attempt may take, shortened to what is left of the request's deadline. */
  timeoutMs: number;
  /** The most keep-alive connections opened to this subgraph. */
  maxConnections: number;
  signingSecret: string;
  /** Told of every attempt made: `success` or the code of its error. */
  onAttempt?: (durationMs: number, outcome: string) => void;
}

export interface SubgraphSender {
  send: SendAttempt;
  /** Ends the connection pool. */
  close(): Promise<void>;
}

/**
 * The bottom layer of a subgraph client: one POST over a keep-alive undici pool, signed over the
 * exact bytes and headers that leave, bounded by the subgraph's timeout and what is left of the
 * client request's deadline (sent on as a header), cancelled with the caller's signal. Every
 * failure comes back classified, so the layers above decide on retries and health from one verdict.
 */
export function createSubgraphSender(options: SubgraphSenderOptions): SubgraphSender {
  const { name } = options;
  const target = new URL(options.url);
  const path = target.pathname + target.search;
  const pool = new Pool(target.origin, { connections: options.maxConnections, pipelining: 1 });

  const post = async (attempt: Attempt, timeoutMs: number): Promise<string> => {
    const cancel = new AttemptSignal();
    const timer = setTimeout(() => cancel.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const { signal } = attempt;
    const onAbort = () => cancel.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Portico's own headers last, so that no header rule can set them.
      const outgoing: Record<string, string> = {
        ...attempt.headers,
        'content-type': 'application/json',
        accept: 'application/json',
        [HeaderNames.requestId]: attempt.requestId,
      };
      if (Number.isFinite(timeoutMs)) outgoing[HeaderNames.deadline] = String(Math.floor(timeoutMs));
      const traceparent = activeTraceparent() ?? attempt.traceparent;
      if (traceparent) outgoing[TRACEPARENT] = traceparent;
      Object.assign(outgoing, signRequest(options.signingSecret, { method: 'POST', path, audience: name, body: attempt.body, headers: outgoing }));
      const response = await pool.request({ method: 'POST', path, headers: outgoing, body: attempt.body, signal: cancel });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode > 299) throw new SubgraphHttpError(response.statusCode);
      return text;
    } catch (error) {
      // undici reports an abort as its own error; the reason says why.
      throw cancel.aborted ? (cancel.reason ?? error) : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  return {
    async send(attempt) {
      const timeoutMs = Math.min(options.timeoutMs, attempt.deadlineAt - Date.now());
      if (timeoutMs <= 0) {
        // No attempt is made: the subgraph had no part in it.
        const error = new GraphQLError(`The request's deadline passed before subgraph "${name}" could answer`, {
          extensions: { code: ErrorCode.SUBGRAPH_TIMEOUT, serviceName: name },
        });
        return { ok: false, failure: { error, retryable: false, health: 'unknown' } };
      }
      const startedAt = performance.now();
      try {
        const raw = await post(attempt, timeoutMs);
        options.onAttempt?.(performance.now() - startedAt, 'success');
        return { ok: true, raw };
      } catch (error) {
        const failure = classifySubgraphFailure(error, name, timeoutMs, options.timeoutMs);
        options.onAttempt?.(performance.now() - startedAt, String(failure.error.extensions.code));
        return { ok: false, failure };
      }
    },
    close: () => pool.close(),
  };
}

// Apollo-style fetch spans are not made: the request's span (when one is recorded) is the subgraph's parent.
function activeTraceparent(): string | undefined {
  const active = trace.getSpanContext(otelContext.active());
  return active && trace.isSpanContextValid(active) ? formatTraceparent(active) : undefined;
}

/**
 * What aborts one attempt (its timeout, or the caller's signal), as undici accepts it: an
 * EventEmitter costs a fraction of an AbortController, whose signal is an EventTarget.
 */
class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}
