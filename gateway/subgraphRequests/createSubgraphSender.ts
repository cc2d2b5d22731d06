import { context as otelContext, trace } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import Pool from 'undici/lib/dispatcher/pool.js';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import { utf8Text } from '../../common/http/utf8Text.js';
import { signRequest } from '../../common/signing/signRequest.js';
import { formatTraceparent, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import { classifySubgraphFailure, SubgraphAnswerTooLarge, SubgraphHttpError, type SubgraphFailure } from '../resilience/classifySubgraphFailure.js';
import type { CancelSignal } from '../resilience/Cancellation.js';

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
  signal: CancelSignal | undefined;
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
  /** The largest answer read, whatever its status; past it the attempt is aborted and the subgraph blamed. */
  maxResponseBytes: number;
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
 * client request's deadline (sent on as a header), cancelled with the caller's signal, and read up
 * to `maxResponseBytes` only. Every failure comes back classified, so the layers above decide on
 * retries and health from one verdict.
 */
export function createSubgraphSender(options: SubgraphSenderOptions): SubgraphSender {
  const { name } = options;
  const target = new URL(options.url);
  const path = target.pathname + target.search;
  const pool = new Pool(target.origin, { connections: options.maxConnections, pipelining: 1 });

  const post = (attempt: Attempt, timeoutMs: number): Promise<string> => {
    // Portico's own headers last, so that no header rule can set them.
    const outgoing: Record<string, string> = Object.assign({}, attempt.headers);
    outgoing['content-type'] = 'application/json';
    outgoing.accept = 'application/json';
    outgoing[HeaderNames.requestId] = attempt.requestId;
    if (Number.isFinite(timeoutMs)) outgoing[HeaderNames.deadline] = String(Math.floor(timeoutMs));
    const traceparent = activeTraceparent() ?? attempt.traceparent;
    if (traceparent) outgoing[TRACEPARENT] = traceparent;
    Object.assign(outgoing, signRequest(options.signingSecret, { method: 'POST', path, audience: name, body: attempt.body, headers: outgoing }));
    return new Promise<string>((resolve, reject) => {
      const answer = new AnswerCollector(attempt.signal, options.maxResponseBytes, resolve, reject);
      answer.timer = setTimeout(() => answer.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
      try {
        pool.dispatch({ method: 'POST', path, headers: outgoing, body: attempt.body }, answer);
      } catch (error) {
        answer.onError(error as Error);
      }
    });
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
 * Collects one attempt's answer as undici's dispatcher delivers it, and settles the attempt once:
 * with the body as text (2xx), a `SubgraphHttpError`, or the error, where an abort (the timeout,
 * the caller's signal, or an answer over `maxBytes`) rejects with its reason. A faulty or
 * compromised subgraph could otherwise stream a body until the gateway's memory or V8's string
 * limit gives out: the size is checked against `content-length` before any of the body is read,
 * then counted as it arrives, and the request aborted (its socket destroyed) once past the
 * limit. Only a 2xx body is kept; nothing reads the body of any other status.
 *
 * A handler of undici's own instead of `Pool.request`, which makes a header object, a Readable
 * stream and an async resource per response that the gateway only reads to its end. It is its
 * own abort listener (`handleEvent`): V8 allocates a function literal assigned to a property (`this.onAbort = () => …`) straight in
 * the old generation, so such a closure made per attempt, dead or not, kept its context (the
 * collector, and through it undici's request and the caller's promise) alive through every
 * young-generation collection until the next full one.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private abortRequest: ((reason: Error) => void) | undefined = undefined;
  private reason: unknown = undefined;
  private aborted = false;
  private settled = false;
  private statusCode = 0;
  private readonly chunks: Buffer[] = [];
  private length = 0;

  constructor(
    private readonly signal: CancelSignal | undefined,
    private readonly maxBytes: number,
    private readonly resolve: (text: string) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    if (signal?.aborted) this.abort(signal.reason);
    else signal?.addEventListener('abort', this, { once: true });
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.abort(this.signal?.reason);
  }

  /** Stops the attempt; it rejects with `reason`. */
  abort(reason: unknown): void {
    if (this.aborted || this.settled) return;
    this.aborted = true;
    this.reason = reason;
    if (this.abortRequest) this.abortRequest(reason instanceof Error ? reason : new Error(String(reason)));
    // Still queued in the pool (undici connects a request only when it writes it): the attempt
    // ends now, at its deadline; `onConnect` aborts the request if it is ever written.
    else this.settle(reason, undefined);
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortRequest = abort;
    if (this.aborted) abort(this.reason instanceof Error ? this.reason : new Error(String(this.reason)));
  }

  onHeaders(statusCode: number, headers: Buffer[] | string[] | null): boolean {
    this.statusCode = statusCode;
    if (declaredLength(headers) > this.maxBytes) {
      this.abort(new SubgraphAnswerTooLarge(this.maxBytes));
      return false;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.length += chunk.length;
    if (this.length > this.maxBytes) {
      this.abort(new SubgraphAnswerTooLarge(this.maxBytes));
      return false;
    }
    if (this.statusCode >= 200 && this.statusCode <= 299) this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.statusCode < 200 || this.statusCode > 299) {
      this.settle(new SubgraphHttpError(this.statusCode), undefined);
      return;
    }
    this.settle(undefined, utf8Text(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length)));
  }

  onError(error: Error): void {
    // undici reports an abort as its own error; the reason says why.
    this.settle(this.aborted ? (this.reason ?? error) : error, undefined);
  }

  private settle(error: unknown, text: string | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this);
    if (text === undefined) this.reject(error);
    else this.resolve(text);
  }
}

/** The `content-length` of an answer's raw headers (name, value, name, value…), or -1 when it has none. */
function declaredLength(headers: Buffer[] | string[] | null): number {
  if (!headers) return -1;
  for (let at = 0; at + 1 < headers.length; at += 2) {
    const name = headers[at]!;
    // The length first: no other header name is decoded, on every answer.
    if (name.length === 14 && name.toString().toLowerCase() === 'content-length') return Number(headers[at + 1]!.toString());
  }
  return -1;
}
